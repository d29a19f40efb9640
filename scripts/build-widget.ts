/**
 * Builds the web-chat widget (widget/src, plain TypeScript) into one minified IIFE,
 * api/public/widget.js, which the API serves at /widget.js. `npm run build:widget`; `npm start`
 * runs it when the file is missing.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WIDGET_ENTRY = fileURLToPath(new URL('../widget/src/index.ts', import.meta.url));
export const WIDGET_OUT_DIR = fileURLToPath(new URL('../api/public', import.meta.url));
export const WIDGET_FILE = `${WIDGET_OUT_DIR}/widget.js`;

const WIDGET_SOURCES = fileURLToPath(new URL('../widget/src', import.meta.url));

export async function buildWidget(): Promise<{ file: string; bytes: number }> {
  // Loaded here so `npm start` pulls in the bundler only when it has something to build.
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: fileURLToPath(new URL('../widget', import.meta.url)),
    publicDir: false,
    build: {
      lib: { entry: WIDGET_ENTRY, formats: ['iife'], name: 'SwitchboardWidgetBundle', fileName: () => 'widget.js' },
      outDir: WIDGET_OUT_DIR,
      // The folder also holds chat.html: only widget.js is written.
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'es2020',
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
    },
  });
  return { file: WIDGET_FILE, bytes: statSync(WIDGET_FILE).size };
}

/** Builds when widget.js is missing or older than a source file (a fresh checkout, a pull). */
export async function ensureWidgetBuilt(log: (msg: string) => void = () => {}): Promise<boolean> {
  if (existsSync(WIDGET_FILE)) {
    const built = statSync(WIDGET_FILE).mtimeMs;
    const newest = Math.max(...readdirSync(WIDGET_SOURCES).map((f) => statSync(`${WIDGET_SOURCES}/${f}`).mtimeMs));
    if (newest <= built) return false;
  }
  log('building the web-chat widget…');
  await buildWidget();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { file, bytes } = await buildWidget();
  console.log(`widget built: ${file} (${(bytes / 1024).toFixed(1)} KiB)`);
}
