/**
 * Embedded mode on a shared machine: DATA_DIR and what is written in it are the owner's alone,
 * the PGlite server wants the generated password, and the embedded Redis wants its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePrivate, tighten } from '../../db/data-dir';
import { writeRedisConfig, withRedisPassword } from '../../scripts/embedded-redis';
import { createEventsQueue } from '../../events/queue';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-embedded-'));
let db: ChildProcess;
let printed = '';

/** Every path under `dir` whose mode lets group or others in. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) found.push(`${path} ${mode.toString(8)}`);
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return found;
}

/** The raw reply to PING without credentials (null when nothing answers). */
const ping = (port: number) =>
  new Promise<string | null>((r) => {
    const s = connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.once('data', (d) => (r(d.toString()), s.destroy()));
    s.once('error', () => r(null));
  });

const freePort = () =>
  new Promise<number>((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => r(port));
    });
  });

beforeAll(async () => {
  // What an older version left: a world-readable file and directory.
  mkdirSync(join(dataDir, 'old'), { mode: 0o777 });
  chmodSync(join(dataDir, 'old'), 0o777);
  writeFileSync(join(dataDir, 'old', 'temporal.db'), 'x');
  chmodSync(join(dataDir, 'old', 'temporal.db'), 0o644);
  chmodSync(dataDir, 0o755);

  db = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'db/pglite-server.ts')], {
    env: { ...process.env, DATA_DIR: dataDir, PGLITE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((ready, fail) => {
    db.stdout!.on('data', (d: Buffer) => {
      printed += d.toString();
      if (/pglite ready/.test(printed)) ready();
    });
    db.once('exit', (code) => fail(new Error(`pglite server exited (${code}): ${printed}`)));
  });
}, 120_000);

afterAll(async () => {
  if (db && db.exitCode === null) {
    db.kill('SIGTERM');
    await new Promise((r) => db.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const printedUrl = () => new URL(/pglite ready (\S+)/.exec(printed)![1]);
const password = () => readFileSync(join(dataDir, 'pglite.password'), 'utf8').trim();
async function query(url: URL) {
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return (await client.query('SELECT current_user AS who')).rows[0].who as string;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('the embedded PGlite server', () => {
  it('does not print its password', () => {
    expect(printedUrl().password).toBe('');
    expect(printed).not.toContain(password());
  });

  it('refuses a connection without the password or with a wrong one', async () => {
    await expect(query(printedUrl())).rejects.toThrow();
    const wrong = printedUrl();
    wrong.password = 'not-the-password';
    await expect(query(wrong)).rejects.toMatchObject({ code: '28P01' });
  });

  it('accepts the generated password', async () => {
    const right = printedUrl();
    right.password = password();
    expect(await query(right)).toBe('postgres');
  });

  it('keeps DATA_DIR, the database files and the password private, including what was there before', async () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(openToOthers(join(dataDir, 'old'))).toEqual([]);
    // Once stopped, including what the server wrote while it ran.
    db.kill('SIGTERM');
    await new Promise((r) => db.once('exit', r));
    expect(statSync(join(dataDir, 'pglite.password')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dataDir, 'pglite')).length).toBeGreaterThan(5);
    expect(openToOthers(dataDir)).toEqual([]);
  });
});

describe('making DATA_DIR private', () => {
  it('passes over a file that is gone by the time it is reached, and fails on any other error', () => {
    // The Temporal dev server's SQLite journal comes and goes in DATA_DIR while the database starts:
    // listed by readdir, deleted before lstat, it stopped npm start.
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-tighten-'));
    try {
      writeFileSync(join(dir, 'kept'), 'x', { mode: 0o644 });
      chmodSync(join(dir, 'kept'), 0o644);
      expect(() => tighten(join(dir, 'temporal.db-journal'))).not.toThrow();
      tighten(dir);
      expect(statSync(join(dir, 'kept')).mode & 0o777).toBe(0o600);
      expect(() => tighten(join(dir, 'kept', 'below-a-file'))).toThrow(/ENOTDIR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the embedded Redis', () => {
  it('runs from a private config with a generated password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-redis-'));
    makePrivate(dir);
    const port = await freePort();
    const conf = writeRedisConfig(dir, port);
    expect(statSync(conf).mode & 0o777).toBe(0o600);
    const server = spawn('redis-server', [conf], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    try {
      let reply: string | null = null;
      for (let i = 0; i < 50 && !reply; i++) {
        reply = await ping(port);
        if (!reply) await new Promise((r) => setTimeout(r, 100));
      }
      expect(reply).toMatch(/^-NOAUTH/);
      const owner = new Redis(withRedisPassword(url, dir), { maxRetriesPerRequest: 1 });
      expect(await owner.ping()).toBe('PONG');
      await owner.quit();
      expect(readFileSync(conf, 'utf8')).toMatch(/^bind 127\.0\.0\.1$/m);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('comes back from a SIGKILL with the jobs that were queued in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-redis-'));
    makePrivate(dir);
    const port = await freePort();
    const conf = writeRedisConfig(dir, port);
    const url = withRedisPassword(`redis://127.0.0.1:${port}`, dir);
    const start = async () => {
      const server = spawn('redis-server', [conf], { stdio: 'ignore' });
      for (let i = 0; i < 50 && !(await ping(port)); i++) await new Promise((r) => setTimeout(r, 100));
      return server;
    };
    let server = await start();
    try {
      // As emitEvent queues an event for the sink; no sink runs, so the job waits in Redis.
      const producer = new Redis(url, { maxRetriesPerRequest: null });
      const queue = createEventsQueue(producer);
      await queue.add('conversation.started', { tenantId: 't', type: 'conversation.started', workflowId: 'w', data: {}, occurredAt: new Date().toISOString() });
      await queue.close();
      // BullMQ leaves a connection it was handed open.
      producer.disconnect();
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
      server = await start();
      const consumer = new Redis(url, { maxRetriesPerRequest: null });
      const again = createEventsQueue(consumer);
      expect(await again.getWaitingCount()).toBe(1);
      await again.close();
      consumer.disconnect();
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
