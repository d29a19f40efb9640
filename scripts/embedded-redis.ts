/**
 * The Redis `npm start` runs when none answers: loopback only, an append-only file in DATA_DIR so
 * a killed Redis comes back with its queued jobs, and a password
 * (generated once into DATA_DIR) so other users of the machine cannot read live conversations
 * or queue jobs. The password goes in a 0600 config file, never on the command line (`ps` shows it).
 */
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { readOrCreateSecret } from '../db/data-dir';

export function redisPassword(dataDir: string): string {
  return readOrCreateSecret(dataDir, 'redis.password').value;
}

/** Writes DATA_DIR/redis.conf and returns its path, for `redis-server <path>`. */
export function writeRedisConfig(dataDir: string, port: number): string {
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const file = join(dataDir, 'redis.conf');
  const lines = [
    `port ${port}`,
    'bind 127.0.0.1',
    // Queued jobs (platform events on their way to the sink) must survive a kill: every write is
    // in the append-only file before Redis answers it. Live streams (pub/sub) are not written.
    'save ""',
    'appendonly yes',
    'appendfsync always',
    `dir ${quote(dataDir)}`,
    `requirepass ${quote(redisPassword(dataDir))}`,
  ];
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** REDIS_URL with the embedded Redis's password. */
export function withRedisPassword(url: string, dataDir: string): string {
  const u = new URL(url);
  u.password = redisPassword(dataDir);
  return u.toString();
}
