import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Password } from './pglite-auth';
import { startPgliteServer, type PgliteServer } from './pglite-server';

const PASSWORD = 'pglite test password';

describe('pglite server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-pglite-'));
  let server: PgliteServer;
  let pools: pg.Pool[] = [];
  const pool = () => {
    const p = new pg.Pool({ connectionString: server.url, max: 5 });
    pools.push(p);
    return p;
  };

  beforeAll(async () => {
    server = await startPgliteServer({ dataDir, port: 0, password: PASSWORD, sharedBuffers: '16MB' });
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs with the buffer cache it was given, not the data directory’s 128MB', async () => {
    const { rows } = await pool().query('SHOW shared_buffers');
    expect(rows[0].shared_buffers).toBe('16MB');
  });

  it('has pgvector', async () => {
    const p = pool();
    await p.query('CREATE EXTENSION IF NOT EXISTS vector');
    const { rows } = await p.query(`SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector AS d`);
    expect(rows[0].d).toBe(2);
  });

  it('never runs one connection’s statement with another’s parameters', async () => {
    // A Parse…Sync batch that arrives in two TCP chunks (as large parameters do) while another
    // connection runs its own unnamed statement: the case the multiplexer alone gets wrong.
    const raw = await rawConnection(server.url);
    raw.send(message('P', cstr(''), cstr(`SELECT $1::text AS who`), int16(0)));
    await new Promise((r) => setTimeout(r, 50));
    // Not awaited: with the batch open it must wait for the Sync below.
    const other = pool().query(`SELECT $1::int AS n, 'other' AS who`, [1]);
    await new Promise((r) => setTimeout(r, 50));
    raw.send(
      message('B', cstr(''), cstr(''), int16(0), int16(1), int32(3), Buffer.from('raw'), int16(0)),
      message('E', cstr(''), int32(0)),
      message('S'),
    );
    expect(await raw.firstValue()).toBe('raw');
    expect((await other).rows[0].who).toBe('other');
    raw.close();
  });

  it('serializes transactions from different connections', async () => {
    const p = pool();
    await p.query('CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0)');
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const c = await p.connect();
        try {
          await c.query('BEGIN');
          const { rows } = await c.query('SELECT n FROM counter');
          await c.query('UPDATE counter SET n = $1', [rows[0].n + 1]);
          await c.query(i % 3 === 0 ? 'ROLLBACK' : 'COMMIT');
        } finally {
          c.release();
        }
      }),
    );
    const { rows } = await p.query('SELECT n FROM counter');
    expect(rows[0].n).toBe(20);
  });

  it('keeps committed data across a restart', async () => {
    await Promise.all(pools.map((p) => p.end()));
    pools = [];
    await server.stop();
    server = await startPgliteServer({ dataDir, port: 0, password: PASSWORD });
    const { rows } = await pool().query('SELECT n FROM counter');
    expect(rows[0].n).toBe(20);
  });
});

const cstr = (s: string) => Buffer.from(`${s}\0`);
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const message = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
};

/** A bare wire-protocol client, so the test decides how a batch is split into TCP writes. */
async function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let buffer = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  socket.on('data', (d) => {
    buffer = Buffer.concat([buffer, d]);
    waiter?.();
  });
  const next = async (): Promise<{ type: string; body: Buffer }> => {
    while (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) await new Promise<void>((r) => (waiter = r));
    const len = buffer.readInt32BE(1);
    const msg = { type: String.fromCharCode(buffer[0]), body: buffer.subarray(5, 1 + len) };
    buffer = buffer.subarray(1 + len);
    return msg;
  };
  const startup = Buffer.concat([int32(196608), cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), cstr('')]);
  socket.write(Buffer.concat([int32(startup.length + 4), startup]));
  const auth = await next();
  if (auth.type === 'R' && auth.body.readInt32BE(0) === 5) socket.write(message('p', cstr(md5Password(PASSWORD, 'postgres', auth.body.subarray(4, 8)))));
  while ((await next()).type !== 'Z');
  return {
    send: (...msgs: Buffer[]) => socket.write(Buffer.concat(msgs)),
    /** First column of the first DataRow of the running batch, up to its ReadyForQuery. */
    async firstValue(): Promise<string | undefined> {
      let value: string | undefined;
      for (let m = await next(); m.type !== 'Z'; m = await next()) {
        if (m.type === 'E') throw new Error(`server error: ${m.body.toString('utf8').replace(/\0/g, ' ')}`);
        if (m.type === 'D' && value === undefined) value = m.body.subarray(6, 6 + m.body.readInt32BE(2)).toString();
      }
      return value;
    },
    close: () => socket.end(message('X')),
  };
}
