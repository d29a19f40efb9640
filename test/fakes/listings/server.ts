/**
 * What the three listing fakes share: an HTTP server on 127.0.0.1 that records every request,
 * a programmable failure for the next requests (the provider's own error body and status), and
 * JSON answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestBody } from '../request-body';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: any;
}

export interface FakeFailure {
  status: number;
  body: unknown;
}

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  /** The next `count` requests answer this status and body (the provider's error shape). */
  failNext(count: number, failure: FakeFailure): void;
  close(): Promise<void>;
}

export type Handler = (req: FakeRequest) => { status: number; body: unknown };

export function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startFake(handler: Handler): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const failures: FakeFailure[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = (await requestBody(req)).toString('utf8');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body };
    requests.push(request);
    const failure = failures.shift();
    if (failure) return send(res, failure.status, failure.body);
    const answer = handler(request);
    send(res, answer.status, answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
