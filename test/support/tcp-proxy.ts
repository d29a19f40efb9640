/**
 * A TCP proxy that can stall: forwards both ways until `stall()`, then swallows what clients send
 * (counted) while connections stay open — a request that left a process and never arrived.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface StallingProxy {
  address: string;
  stall(): void;
  /** Bytes clients sent since `stall()`, none of them delivered. */
  swallowedBytes(): number;
  close(): Promise<void>;
}

export async function startStallingProxy(target: string): Promise<StallingProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  let stalled = false;
  let swallowed = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host, port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => (stalled ? (swallowed += chunk.length) : upstream.write(chunk)));
    upstream.on('data', (chunk) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: listening } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${listening}`,
    stall: () => (stalled = true),
    swallowedBytes: () => swallowed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
