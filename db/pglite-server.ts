/**
 * Embedded PostgreSQL for `npm start`: PGlite (WASM Postgres) with pgvector and btree_gist, persisted under
 * `${DATA_DIR}/pglite`, served over the wire protocol so the worker, the API and the migrator
 * connect with ordinary `pg` pools (DATABASE_URL=postgres://postgres:PASSWORD@127.0.0.1:PGLITE_PORT/postgres).
 * pglite-socket has no authentication: it listens on a Unix socket in a private directory, and
 * the TCP port is db/pglite-auth.ts, which wants the password kept in DATA_DIR/pglite.password.
 *
 * PGlite is one Postgres session. pglite-socket's multiplexer queues the clients' protocol messages
 * onto it one message at a time and, while an explicit transaction is open, runs only the messages
 * of the client that opened it — so BEGIN…COMMIT from several connections are serialized, not
 * interleaved. It does not do the same for an extended-protocol batch (Parse/Bind/Describe/Execute
 * … Sync): when a batch arrives in several TCP chunks (large parameters), another client's Parse can
 * slip in and the first client's Bind then runs the other client's statement. `serialized()` closes
 * that gap by reporting "in transaction" until the running batch reaches Sync, which makes the
 * multiplexer keep the session for that client. With that, any pool size is safe
 * (db/pglite-server.test.ts). What remains shared by all connections, because it is one session:
 * named prepared statements (two clients preparing the same name collide; MikroORM/Kysely and
 * plain `pg` queries use the unnamed one), session settings (SET), temp tables, LISTEN/NOTIFY.
 * A client that holds a transaction while waiting for another connection's query deadlocks.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { loadConfig } from '../core/config';
import { makePrivate, readOrCreateSecret, tighten } from './data-dir';
import { startAuthFront, type AuthFront } from './pglite-auth';

export interface PgliteServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPgliteServer(opts: {
  dataDir: string;
  port: number;
  password: string;
  maxConnections?: number;
  checkpointSeconds?: number;
  /** Postgres's shared_buffers, e.g. '32MB'; unset: the data directory's postgresql.conf (128MB). */
  sharedBuffers?: string;
}): Promise<PgliteServer> {
  const dir = resolve(opts.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const startParams = opts.sharedBuffers ? [...PGlite.defaultStartParams, '-c', `shared_buffers=${opts.sharedBuffers}`] : undefined;
  const db = await PGlite.create({ dataDir: dir, extensions: { vector, btree_gist }, startParams });
  // PGlite's file system layer sets 0666 on what it writes, whatever the umask: DATA_DIR (0700)
  // keeps others out, and the files are made private again at start and after each close.
  tighten(dir);
  // mkdtemp makes a 0700 directory; a temp path also stays under the 107-byte socket path limit.
  const socketDir = mkdtempSync(join(tmpdir(), 'switchboard-pglite-'));
  const server = new PGLiteSocketServer({
    db: serialized(db),
    path: join(socketDir, 'pglite.sock'),
    // Worker + API + migrator pools together; the default of 1 would refuse the second client.
    maxConnections: opts.maxConnections ?? 64,
  });
  let front: AuthFront;
  try {
    await server.start();
    front = await startAuthFront({ host: '127.0.0.1', port: opts.port, password: opts.password, backendPath: server.getServerConn() });
  } catch (err) {
    await server.stop();
    await db.close();
    rmSync(socketDir, { recursive: true, force: true });
    throw err;
  }
  const url = `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${front.port}/postgres`;
  const checkpoints = opts.checkpointSeconds ? checkpointEvery(url, opts.checkpointSeconds) : undefined;
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () =>
      (stopping ??= (async () => {
        await checkpoints?.stop();
        await front.close();
        await server.stop();
        // close() checkpoints and flushes the WAL to the data dir; skipping it loses recent writes.
        await db.close();
        tighten(dir);
        rmSync(socketDir, { recursive: true, force: true });
      })()),
  };
}

/**
 * CHECKPOINT every `seconds`, as a client of the server so the multiplexer runs it between other
 * clients' transactions. It bounds what a restart after SIGKILL or a power cut replays: PGlite is a
 * single backend with no checkpointer, so otherwise the WAL since the server started is replayed
 * (measured: 15.7 s to open after 60 MB of writes, 2 s after a checkpoint).
 */
function checkpointEvery(url: string, seconds: number): { stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let running: Promise<void> | undefined;
  const checkpoint = async () => {
    try {
      if (!client) {
        client = new pg.Client({ connectionString: url });
        // A broken connection is replaced at the next tick; the error must not end the server.
        client.on('error', () => (client = undefined));
        await client.connect();
      }
      await client.query('CHECKPOINT');
    } catch (err) {
      console.error(`pglite: checkpoint failed: ${(err as Error).message}`);
      void client?.end().catch(() => {});
      client = undefined;
    }
  };
  const timer = setInterval(() => void (running ??= checkpoint().finally(() => (running = undefined))), seconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await client?.end().catch(() => {});
    },
  };
}

/** Frontend message types that continue an extended-protocol batch; Sync ('S') ends it. */
const BATCH_CONTINUES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

/** The PGlite instance as the multiplexer sees it: a batch in progress counts as a transaction. */
function serialized(db: PGlite): PGlite {
  let inBatch = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'isInTransaction') return () => inBatch || target.isInTransaction();
      if (prop === 'execProtocolRawStream') {
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          inBatch = BATCH_CONTINUES.has(message[0]);
          return target.execProtocolRawStream(message, options);
        };
      }
      // The multiplexer rolls back with exec() when a client leaves mid-transaction or mid-batch.
      if (prop === 'exec') {
        return (...args: Parameters<PGlite['exec']>) => {
          inBatch = false;
          return target.exec(...args);
        };
      }
      const value = Reflect.get(target, prop, target);
      // PGlite uses #private fields: its methods must run with the real instance as `this`.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A new data directory is initialised (initdb) by a child process that then exits: what initdb's WASM
 * allocated stayed resident in the process that ran it (about 90 MB, measured by bench:startup), and
 * the server that stays up now starts from an initialised directory, as on every later start.
 */
async function initialiseInChild(dir: string): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!], { env: { ...process.env, [INITDB_ONLY]: '1' }, stdio: 'inherit' });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`initialising ${dir} failed (${signal ?? `exit code ${code}`})`);
}

const INITDB_ONLY = 'SWITCHBOARD_PGLITE_INITDB_ONLY';

async function main() {
  const config = loadConfig();
  makePrivate(config.DATA_DIR);
  const dir = resolve(config.DATA_DIR, 'pglite');
  if (process.env[INITDB_ONLY] === '1') {
    mkdirSync(dir, { recursive: true });
    await (await PGlite.create({ dataDir: dir })).close();
    tighten(dir);
    return;
  }
  await initialiseInChild(dir);
  const password = readOrCreateSecret(config.DATA_DIR, 'pglite.password').value;
  const server = await startPgliteServer({ dataDir: config.DATA_DIR, port: config.PGLITE_PORT, password, checkpointSeconds: config.PGLITE_CHECKPOINT_SECONDS, sharedBuffers: config.PGLITE_SHARED_BUFFERS });
  const shutdown = async (signal: string) => {
    try {
      await server.stop();
      process.exit(0);
    } catch (err) {
      console.error(`pglite: shutdown after ${signal} failed:`, err);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  // scripts/start.ts waits for this exact line; the password stays out of the output.
  const url = new URL(server.url);
  url.password = '';
  console.log(`pglite ready ${url} (data ${join(config.DATA_DIR, 'pglite')}, password in ${join(config.DATA_DIR, 'pglite.password')})`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('db/pglite-server.ts') || process.argv[1]?.endsWith('dist/pglite-server.js')) {
  main().catch((err) => {
    console.error('pglite: failed to start:', err);
    process.exit(1);
  });
}
