/**
 * Embedded PostgreSQL for `npm start`: PGlite (WASM Postgres) with pgvector, persisted under
 * `${DATA_DIR}/pglite`, served over the wire protocol so the worker, the API and the migrator
 * connect with ordinary `pg` pools (DATABASE_URL=postgres://postgres@127.0.0.1:PGLITE_PORT/postgres).
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
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { loadConfig } from '../core/config';

export interface PgliteServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPgliteServer(opts: { dataDir: string; port: number; maxConnections?: number }): Promise<PgliteServer> {
  const dir = resolve(opts.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create({ dataDir: dir, extensions: { vector } });
  const server = new PGLiteSocketServer({
    db: serialized(db),
    host: '127.0.0.1',
    port: opts.port,
    // Worker + API + migrator pools together; the default of 1 would refuse the second client.
    maxConnections: opts.maxConnections ?? 64,
  });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  const port = Number(server.getServerConn().split(':').pop());
  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        // close() checkpoints and flushes the WAL to the data dir; skipping it loses recent writes.
        await db.close();
      })()),
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

async function main() {
  const config = loadConfig();
  const server = await startPgliteServer({ dataDir: config.DATA_DIR, port: config.PGLITE_PORT });
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
  // scripts/start.ts waits for this exact line.
  console.log(`pglite ready ${server.url} (data ${join(config.DATA_DIR, 'pglite')})`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('db/pglite-server.ts')) {
  main().catch((err) => {
    console.error('pglite: failed to start:', err);
    process.exit(1);
  });
}
