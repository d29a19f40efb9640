/**
 * The password check pglite-socket does not have. Clients connect here over TCP; this side answers
 * the startup (declining SSL), asks for an MD5 password, and only after a correct one opens a
 * connection to the PGlite socket server, which listens on a Unix socket in a private directory,
 * replays the startup message and joins the two sockets. Anyone else on a shared host reaches a
 * port that wants a password, not a superuser session.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../core/constant-time';
import { connect, createServer, type Server, type Socket } from 'node:net';

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
/** A client that has not authenticated within this time, or sends more than this, is dropped. */
const AUTH_TIMEOUT_MS = 10_000;
const MAX_STARTUP_BYTES = 10_000;

export interface AuthFront {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startAuthFront(opts: { host: string; port: number; password: string; backendPath: string }): Promise<AuthFront> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    handshake(client, opts.password, opts.backendPath);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function handshake(client: Socket, password: string, backendPath: string) {
  let buffered = Buffer.alloc(0);
  let startup: Buffer | null = null;
  let user = '';
  const salt = randomBytes(4);
  const timer = setTimeout(() => client.destroy(), AUTH_TIMEOUT_MS);
  client.once('close', () => clearTimeout(timer));
  client.on('error', () => client.destroy());

  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length > MAX_STARTUP_BYTES) return void client.destroy();
    while (buffered.length >= 8) {
      if (!startup) {
        const length = buffered.readInt32BE(0);
        const code = buffered.readInt32BE(4);
        if (length === 8 && (code === SSL_REQUEST || code === GSSENC_REQUEST)) {
          client.write('N');
          buffered = buffered.subarray(8);
          continue;
        }
        if (code !== PROTOCOL_3 || length < 8 || length > MAX_STARTUP_BYTES) return fail(client, '08P01', 'unsupported startup message');
        if (buffered.length < length) return;
        startup = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        user = startupParams(startup).user ?? '';
        client.write(message('R', int32(5), salt));
        continue;
      }
      if (buffered[0] !== 0x70) return fail(client, '08P01', 'expected a password message');
      const length = 1 + buffered.readInt32BE(1);
      if (buffered.length < length) return;
      const given = buffered.subarray(5, length - 1);
      const rest = buffered.subarray(length);
      if (!constantTimeEqual(given, Buffer.from(md5Password(password, user, salt)))) {
        return fail(client, '28P01', `password authentication failed for user "${user}"`);
      }
      client.off('data', onData);
      clearTimeout(timer);
      return join(client, backendPath, startup, rest);
    }
  };
  client.on('data', onData);
}

/** Connects to PGlite, replays the client's startup (PGlite answers AuthenticationOk) and pipes both ways. */
function join(client: Socket, backendPath: string, startup: Buffer, rest: Buffer) {
  client.pause();
  const backend = connect(backendPath);
  backend.once('connect', () => {
    backend.write(Buffer.concat([startup, rest]));
    client.pipe(backend);
    backend.pipe(client);
    client.resume();
  });
  const end = () => {
    client.destroy();
    backend.destroy();
  };
  backend.once('error', end);
  backend.once('close', end);
  client.once('close', end);
}

/** PostgreSQL's MD5 scheme: "md5" + md5(md5(password + user) + salt). */
export function md5Password(password: string, user: string, salt: Buffer): string {
  const inner = createHash('md5').update(password + user).digest('hex');
  return 'md5' + createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex');
}

function startupParams(startup: Buffer): Record<string, string> {
  const fields = startup.subarray(8).toString('utf8').split('\0');
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length && fields[i]; i += 2) params[fields[i]] = fields[i + 1];
  return params;
}


function fail(client: Socket, code: string, text: string) {
  const field = (type: string, value: string) => Buffer.from(`${type}${value}\0`);
  client.end(message('E', field('S', 'FATAL'), field('V', 'FATAL'), field('C', code), field('M', text), Buffer.from([0])));
}

function message(type: string, ...parts: Buffer[]) {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}

function int32(n: number) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
