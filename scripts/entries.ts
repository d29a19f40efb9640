/**
 * The server's entrypoints. `npm run build` (scripts/build.ts) bundles each into dist/<name>.js;
 * `npm start` runs those under plain node, while `npm run start:dev` and the tests run the sources
 * under tsx. The supervisor asks here how to run a part, so both paths launch the same programs.
 */
import { join } from 'node:path';

export const ENTRIES = {
  start: 'scripts/start.ts',
  worker: 'worker/main.ts',
  api: 'api/main.ts',
  'pglite-server': 'db/pglite-server.ts',
  cli: 'db/cli.ts',
} as const;
export type EntryName = keyof typeof ENTRIES;

export const DIST_DIR = 'dist';
/** The workflow code, bundled at build time so a worker starts without running webpack. */
export const WORKFLOW_BUNDLE = join(DIST_DIR, 'workflow-bundle.js');
/** Loaded into the compiled worker's workflow threads before the SDK: they run without its promise hook (worker/workflow-threads.ts). */
export const WORKFLOW_THREADS_PRELOAD = { source: 'worker/workflow-threads.ts', file: join(DIST_DIR, 'workflow-threads.cjs') } as const;
/**
 * V8 grows the young generation's semi-spaces up to 64 MB in a process's allocation burst at start
 * and keeps them: 128 MB of the API's idle RSS held nothing. At 8 MB bench:turn ran no slower, and the
 * worker's peak RSS under fifty conversations fell by about 200 MB. The API takes bursts of webhooks,
 * whose objects live across a few scavenges at 8 MB: under bench:ingress it then scavenged 113 times
 * for 908 ms (V8's default: 24 times, 375 ms) and its p99 at 500/s was 459–1,206 ms; at 32 MB 38
 * times, 458 ms, p99 84 ms.
 */
const SEMI_SPACE_MB: Partial<Record<EntryName, number>> = { api: 32 };
export const youngGenerationFlag = (name?: EntryName) => `--max-semi-space-size=${(name && SEMI_SPACE_MB[name]) ?? 8}`;
/**
 * No `--enable-source-maps`: Node parses a bundle's source map into arrays it keeps for the life of
 * the process, about 30 MB of heap each in the API and the worker (the idle API: heap used 117 → 87
 * MB, RSS 251 → 229 MB without it). A stack trace then names dist/<part>.js's lines, and `keepNames`
 * keeps the functions' names; `NODE_OPTIONS=--enable-source-maps npm start` maps them back to the
 * TypeScript (the maps are built beside the bundles), for when someone is reading traces.
 */
export const nodeFlags = (root: string, name: EntryName) => [youngGenerationFlag(name), ...(name === 'worker' ? ['--require', join(root, WORKFLOW_THREADS_PRELOAD.file)] : [])];

/**
 * glibc's malloc serves a block of 128 KB or more from its own mapping, returned to the system when
 * freed, but raises that threshold to the size of each such block freed, up to 32 MB. A start frees
 * many big blocks (the PGlite server peaks at about 700 MB while it loads Postgres's WASM), after which
 * blocks of up to 32 MB come from malloc's arenas, where freed pages mostly stay resident. A threshold
 * set explicitly stays where it is: the idle PGlite server 230–276 → 174–180 MB, the worker 314 →
 * 282–289 MB, and under fifty conversations 290 → 201 and 457–477 → 420–431 MB, with no change
 * in CPU per turn beyond bench:turn's noise. Musl and other allocators ignore the variable.
 */
export const MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=131072';

/** `env` with the malloc tunables added to any the user set; a threshold of the user's own wins. */
export function withMallocTunables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const own = env.GLIBC_TUNABLES;
  if (own?.includes('glibc.malloc.mmap_threshold=')) return env;
  return { ...env, GLIBC_TUNABLES: own ? `${own}:${MALLOC_TUNABLES}` : MALLOC_TUNABLES };
}

declare const __SWITCHBOARD_COMPILED__: boolean | undefined;
/** True inside dist/ (scripts/build.ts defines it); under tsx the identifier does not exist. */
export const COMPILED = typeof __SWITCHBOARD_COMPILED__ !== 'undefined' && __SWITCHBOARD_COMPILED__;

/**
 * How to run an entrypoint: its bundle under this node when compiled, its source under tsx otherwise,
 * with `env` as the environment the process should have and the malloc tunables added to it.
 */
export function entryCommand(root: string, name: EntryName, compiled = COMPILED, env: NodeJS.ProcessEnv = process.env): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const partEnv = withMallocTunables(env);
  return compiled
    ? { cmd: process.execPath, args: [...nodeFlags(root, name), join(root, DIST_DIR, `${name}.js`)], env: partEnv }
    : { cmd: join(root, 'node_modules', '.bin', 'tsx'), args: [youngGenerationFlag(name), join(root, ENTRIES[name])], env: partEnv };
}
