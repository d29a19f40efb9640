/**
 * Builds the console (console/ → console/dist) when the build is missing or older than its sources
 * (console/src, console/index.html, the vite config, and core/ which the console imports).
 * Used by `npm start` and the browser tests; concurrent callers wait for one build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
export const CONSOLE_DIR = join(root, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
const SOURCES = [join(CONSOLE_DIR, 'src'), join(CONSOLE_DIR, 'index.html'), join(CONSOLE_DIR, 'vite.config.ts'), join(root, 'core')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function consoleBuildIsStale(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((p) => newestMtime(p) > built);
}

/** Runs `vite build` if needed; returns true when it built. */
export async function ensureConsoleBuilt(log: (msg: string) => void = () => {}): Promise<boolean> {
  if (!consoleBuildIsStale()) return false;
  const lock = join(CONSOLE_DIR, '.build-lock');
  // mkdir is atomic: one process builds, the others wait for it (a lock older than 2 min is stale).
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
      if (!existsSync(lock) && !consoleBuildIsStale()) return false;
    }
  }
  try {
    if (!consoleBuildIsStale()) return false;
    log('building the console (vite build)…');
    execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', CONSOLE_DIR, '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
