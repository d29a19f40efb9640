/**
 * DATA_DIR on a machine other users share: the directory is the owner's alone (0700, files 0600),
 * and the credentials of the embedded services are generated into it once.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files this process and its children create are private from now on; the directory and what an
 * older version left in it (world-readable database files) are made private too.
 */
export function makePrivate(dataDir: string) {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  tighten(dataDir);
}

/**
 * Directories 0700, files without group or other bits, below `path`. Another process may be writing
 * beside us (the Temporal dev server's SQLite journal comes and goes in DATA_DIR): what is gone by the
 * time it is reached needs no tightening.
 */
export function tighten(path: string) {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.isDirectory()) {
      if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
      for (const entry of readdirSync(path)) tighten(join(path, entry));
    } else if ((stat.mode & 0o077) !== 0) {
      chmodSync(path, stat.mode & 0o700);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** The secret in `dataDir/name`, generated (0600) on first use. */
export function readOrCreateSecret(dataDir: string, name: string, make = () => randomBytes(24).toString('base64url')): { value: string; created: boolean } {
  const file = join(dataDir, name);
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { value, created: true };
}
