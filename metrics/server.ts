/**
 * The worker's metrics endpoint: a bare HTTP server (the worker has no web framework) answering
 * `GET /metrics` with the process's registry, behind METRICS_TOKEN when one is set.
 */
import { constantTimeEqual } from '../core/constant-time';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS_CONTENT_TYPE, renderMetrics } from './index';

/** Whether an Authorization header carries the token (constant time; no token configured: anyone). */
export function metricsAuthorized(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  return constantTimeEqual(/^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '', token);
}

export async function startMetricsServer(opts: { port: number; host: string; token?: string }): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics');
      return;
    }
    if (!metricsAuthorized(req.headers.authorization, opts.token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('send "Authorization: Bearer <METRICS_TOKEN>"');
      return;
    }
    renderMetrics().then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}`),
    );
  });
  await new Promise<void>((ready, fail) => server.once('error', fail).listen(opts.port, opts.host, ready));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
