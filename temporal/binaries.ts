/** Where the Temporal CLI and test server live: `.tools/py` (scripts/toolchain.sh), else PATH. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..');

function locate(name: string, envVar: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) return fromEnv;
  const local = join(root, '.tools', 'py', 'bin', name);
  if (existsSync(local)) return local;
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} not found: run through scripts/toolchain.sh (npm start / npm test do) or set ${envVar}`);
  }
}

export const temporalCliPath = () => locate('temporal', 'TEMPORAL_CLI');
export const temporalTestServerPath = () => locate('temporal-test-server', 'TEMPORAL_TEST_SERVER');
