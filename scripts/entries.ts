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
/**
 * V8 grows the young generation's semi-spaces up to 64 MB in a process's allocation burst at start
 * and keeps them: 128 MB of the API's idle RSS held nothing. At 8 MB bench:turn ran no slower, and the
 * worker's and API's peak RSS under fifty conversations fell by about 200 and 100 MB.
 */
export const YOUNG_GENERATION_FLAG = '--max-semi-space-size=8';
/** Source maps turn a compiled stack trace back into TypeScript file:line. */
export const NODE_FLAGS = ['--enable-source-maps', YOUNG_GENERATION_FLAG];

declare const __SWITCHBOARD_COMPILED__: boolean | undefined;
/** True inside dist/ (scripts/build.ts defines it); under tsx the identifier does not exist. */
export const COMPILED = typeof __SWITCHBOARD_COMPILED__ !== 'undefined' && __SWITCHBOARD_COMPILED__;

/** How to run an entrypoint: its bundle under this node when compiled, its source under tsx otherwise. */
export function entryCommand(root: string, name: EntryName, compiled = COMPILED): { cmd: string; args: string[] } {
  return compiled
    ? { cmd: process.execPath, args: [...NODE_FLAGS, join(root, DIST_DIR, `${name}.js`)] }
    : { cmd: join(root, 'node_modules', '.bin', 'tsx'), args: [YOUNG_GENERATION_FLAG, join(root, ENTRIES[name])] };
}
