/**
 * `npm run build`: bundles the server entrypoints (scripts/entries.ts) into dist/ as ESM for
 * node 24 with esbuild, packages left in node_modules (native ones like onnxruntime-node load as
 * they do from source), source maps on; the worker's workflow-thread preload into
 * dist/workflow-threads.cjs; and the workflow code into dist/workflow-bundle.js, so no bundler runs
 * when a worker starts. Last it writes dist/.sources, the folders and files the build
 * read: scripts/ensure-built.sh rebuilds when anything there is newer.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { DIST_DIR, ENTRIES, WORKFLOW_BUNDLE, WORKFLOW_THREADS_PRELOAD } from './entries';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, DIST_DIR);

/**
 * Code that finds files next to itself (import.meta.dirname, import.meta.url: the console's dist,
 * chat.html, .tools) must keep finding them from dist/: each use becomes its source file's
 * location, computed from the bundle's own URL so the checkout can move after the build.
 */
const sourceLocation: Plugin = {
  name: 'source-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.')) return { contents: text, loader: 'ts' };
      const own = `new URL(${JSON.stringify(relative(dist, args.path))}, import.meta.url)`;
      // On the first line, so every other line keeps its number in the source map.
      const head = `import { fileURLToPath as __sourcePath } from 'node:url'; import { dirname as __sourceDir } from 'node:path'; `;
      const contents = text
        .replaceAll('import.meta.url', `${own}.href`)
        .replaceAll('import.meta.filename', `__sourcePath(${own})`)
        .replaceAll('import.meta.dirname', `__sourceDir(__sourcePath(${own}))`);
      return { contents: head + contents, loader: 'ts' };
    });
  },
};

/**
 * Packages stay in node_modules, imported as written. A deep import without its extension
 * (`twilio/lib/webhooks/webhooks`) resolves under tsx but not under node's ESM loader: it is written
 * with the file it names, as CommonJS resolution finds it.
 */
const nodeResolvable: Plugin = {
  name: 'node-resolvable',
  setup(b) {
    // Every bare specifier (esbuild's `packages: 'external'` would skip this plugin).
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || !args.path.includes('/') || (args.path.startsWith('@') && args.path.split('/').length === 2)) {
        return { path: args.path, external: true };
      }
      // Node's ESM loader maps a package's `exports`; without them it takes the subpath literally.
      const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
      const file = createRequire(args.importer).resolve(args.path);
      const pkgDir = file.slice(0, file.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}`.length);
      const { exports } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports?: unknown };
      return { path: exports ? args.path : `${name}/${relative(pkgDir, file)}`, external: true };
    });
  },
};

export async function buildServer(log: (line: string) => void = () => {}): Promise<void> {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, join(root, path)])),
    outdir: dist,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: true,
    // MikroORM, Temporal and the logs name things by class and function names: keep them.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    define: { __SWITCHBOARD_COMPILED__: 'true' },
    plugins: [sourceLocation, nodeResolvable],
  });
  // CommonJS, for `node --require`: the worker's workflow threads load it before the SDK.
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, WORKFLOW_THREADS_PRELOAD.source)],
    outfile: join(root, WORKFLOW_THREADS_PRELOAD.file),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    packages: 'external',
    logLevel: 'warning',
  });
  // Webpack, run here once: the worker gets the file (WORKFLOW_BUNDLE_PATH) instead.
  const { tracedBundlePath, workflowBundle } = await import('../worker/create');
  writeFileSync(join(root, WORKFLOW_BUNDLE), (await workflowBundle()).code);
  // And the one a worker with an OTLP endpoint loads (the OpenTelemetry workflow interceptors bundled in).
  writeFileSync(join(root, tracedBundlePath(WORKFLOW_BUNDLE)), (await workflowBundle(true)).code);

  // The folders the bundles came from (and what decides the workflow bundle's packages).
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, resolve(root, p)));
  const sources = new Set(inputs.filter((p) => !p.startsWith('node_modules/')).map((p) => p.split('/')[0]));
  for (const extra of ['workflows', 'package-lock.json', 'tsconfig.json']) sources.add(extra);
  writeFileSync(join(dist, '.sources'), [...sources].sort().join('\n') + '\n');
  log(`built ${Object.keys(ENTRIES).length} entrypoints and the workflow bundle into ${relative(process.cwd(), dist) || dist} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await buildServer((line) => console.log(`build: ${line}`));
}
