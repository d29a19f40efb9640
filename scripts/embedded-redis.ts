/**
 * The Redis `npm start` runs when none answers: loopback only, no persistence, and a password
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
    // Only live token streams and queues that are safe to lose.
    'save ""',
    'appendonly no',
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
