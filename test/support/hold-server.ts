/**
 * An HTTP server that can hold a request unanswered until the test releases it: a crash point
 * made by the far side (a provider, a media host, a customer's API) instead of a sleep. In front
 * of a fake provider it forwards (`forwardTo`), so a held request the worker died waiting for
 * still reaches the provider on release — the provider did the work, its answer was lost.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type Handler = (req: ReceivedRequest) => Promise<Answer> | Answer;

export interface HoldServer {
  url: string;
  /** Every request, in order (held ones included). */
  requests: ReceivedRequest[];
  /** The next `count` requests `match` accepts are held until `release()`. */
  holdNext(match: (req: ReceivedRequest) => boolean, count?: number): void;
  /** Requests held now. */
  held(): number;
  /** Hands the held requests to the handler (answering whoever is still connected); resolves once handled. */
  release(): Promise<void>;
  /** Closes the held requests' connections unhandled: the far side never did the work. */
  drop(): void;
  close(): Promise<void>;
}

async function readRequest(req: IncomingMessage): Promise<ReceivedRequest> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(parts), at: Date.now() };
}

export async function startHoldServer(handler: Handler): Promise<HoldServer> {
  const requests: ReceivedRequest[] = [];
  const holds: { match: (req: ReceivedRequest) => boolean; left: number }[] = [];
  let held: { answer: () => Promise<void>; drop: () => void }[] = [];
  const server: Server = createServer(async (req, res) => {
    const received = await readRequest(req);
    requests.push(received);
    const answer = async () => {
      const out = await handler(received);
      if (!res.destroyed) res.writeHead(out.status, out.headers).end(out.body);
    };
    const hold = holds.find((h) => h.left > 0 && h.match(received));
    if (!hold) return answer().catch(() => res.destroy());
    hold.left--;
    held.push({ answer, drop: () => res.destroy() });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    holdNext: (match, count = 1) => void holds.push({ match, left: count }),
    held: () => held.length,
    async release() {
      const now = held;
      held = [];
      holds.length = 0;
      await Promise.all(now.map((h) => h.answer().catch(() => undefined)));
    },
    drop() {
      held.splice(0).forEach((h) => h.drop());
      holds.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/** A handler that passes the request on to `base` (a fake provider) and returns its answer. */
export const forwardTo = (base: string): Handler => async (req) => {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => v !== undefined && !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
  const res = await fetch(base + req.path, { method: req.method, headers, body: ['GET', 'HEAD'].includes(req.method) ? undefined : new Uint8Array(req.body) });
  return { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'text/plain' }, body: Buffer.from(await res.arrayBuffer()) };
};
