import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonPublicKind } from '../../net/address-policy';
import type { HttpRequestInput } from '../../activities/types';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from './support';

let deps: TestDeps;
let server: Server;
let base: string;
const received: { method?: string; url?: string; body: string }[] = [];

beforeAll(async () => {
  deps = await testDeps();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, body });
      const path = req.url!.split('?')[0];
      if (path === '/order') return res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r1' }).end(JSON.stringify({ order: { id: 42, items: [{ sku: 'a', price: 2 }, { sku: 'b', price: 3 }] } }));
      if (path === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 2000);
      if (path === '/broken') return res.writeHead(200, { 'content-type': 'application/json' }).end('{not json');
      if (path === '/missing') return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"nope"}');
      if (path === '/escape') return res.writeHead(302, { location: 'http://10.1.2.3/internal' }).end();
      if (path === '/tool') return res.writeHead(200, { 'content-type': 'text/plain' }).end(`tool got ${req.method} ${req.url} ${body}`);
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await deps.close();
});

const request = (tenantId: string, extra: Partial<HttpRequestInput>): HttpRequestInput => ({
  tenantId,
  nodeId: 'http',
  method: 'GET',
  url: `${base}/order`,
  headers: {},
  timeoutMs: 1000,
  responseMapping: {},
  ...extra,
});

describe('httpRequest', () => {
  it('maps the response with JSONata', async () => {
    const t = await makeTenant(deps.orm, { httpAllowedHosts: ['127.0.0.1'] });
    const result = await activitiesFor(deps).httpRequest(
      request(t.tenantId, { responseMapping: { orderId: 'body.order.id', total: '$sum(body.order.items.price)', skus: 'body.order.items.sku', requestId: 'headers."x-request-id"', status: 'status' } }),
    );
    expect(result).toEqual({ ok: true, status: 200, variables: { orderId: 42, total: 5, skus: ['a', 'b'], requestId: 'r1', status: 200 } });
  });

  it('refuses hosts that are not allowed, and private addresses behind a wildcard', async () => {
    const none = await makeTenant(deps.orm);
    expect(await activitiesFor(deps).httpRequest(request(none.tenantId, {}))).toMatchObject({ ok: false, error: expect.stringMatching(/not on the allowlist/) });
    // The default policy (no operator allow-list): neither a wildcard nor a tenant's own listing opens an internal address.
    const strict = activitiesFor({ ...deps, config: { ...deps.config, OUTBOUND_ALLOWED_PRIVATE: [] } });
    const wildcard = await makeTenant(deps.orm, { httpAllowedHosts: ['*'] });
    expect(await strict.httpRequest(request(wildcard.tenantId, {}))).toMatchObject({ ok: false, error: expect.stringMatching(/127\.0\.0\.1 is not reachable from the platform \(loopback address\)/) });
    const listed = await makeTenant(deps.orm, { httpAllowedHosts: ['127.0.0.1'] });
    expect(await strict.httpRequest(request(listed.tenantId, {}))).toMatchObject({ ok: false, error: expect.stringMatching(/loopback address/) });
    const explicit = await makeTenant(deps.orm, { httpAllowedHosts: ['127.0.0.1'] });
    expect(await activitiesFor(deps).httpRequest(request(explicit.tenantId, { url: `${base}/escape` }))).toMatchObject({ ok: false, error: expect.stringMatching(/10\.1\.2\.3 is not on the allowlist/) });
    expect(received.some((r) => r.url === '/internal')).toBe(false);
  });

  it('honours the platform allowlist from config', async () => {
    const t = await makeTenant(deps.orm);
    const withConfig = { ...deps, config: { ...deps.config, HTTP_ALLOWED_HOSTS: ['127.0.0.1'] } };
    expect((await activitiesFor(withConfig).httpRequest(request(t.tenantId, {}))).ok).toBe(true);
  });

  it('returns errors for the error edge: timeout, non-2xx, bad JSON', async () => {
    const t = await makeTenant(deps.orm, { httpAllowedHosts: ['127.0.0.1'] });
    const acts = activitiesFor(deps);
    const started = Date.now();
    expect(await acts.httpRequest(request(t.tenantId, { url: `${base}/slow`, timeoutMs: 200 }))).toEqual({ ok: false, status: 0, variables: {}, error: 'request timed out after 200 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await acts.httpRequest(request(t.tenantId, { url: `${base}/missing` }))).toMatchObject({ ok: false, status: 404, error: 'HTTP 404' });
    expect(await acts.httpRequest(request(t.tenantId, { url: `${base}/broken` }))).toMatchObject({ ok: false, error: 'response is not valid JSON' });
  });

  it('throws on connection errors so Temporal retries', async () => {
    const t = await makeTenant(deps.orm, { httpAllowedHosts: ['127.0.0.1'] });
    await expect(activitiesFor(deps).httpRequest(request(t.tenantId, { url: 'http://127.0.0.1:1/x' }))).rejects.toThrow();
  });

  it('classifies private addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '192.168.1.1', '172.20.0.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1']) expect(nonPublicKind(a)).not.toBeNull();
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700::1111']) expect(nonPublicKind(a)).toBeNull();
  });
});

describe('callTool', () => {
  it('POSTs the arguments as JSON and GETs them as query parameters', async () => {
    const t = await makeTenant(deps.orm, { httpAllowedHosts: ['127.0.0.1'] });
    const acts = activitiesFor(deps);
    const post = await acts.callTool({ tenantId: t.tenantId, nodeId: 'answer', url: `${base}/tool`, method: 'POST', arguments: '{"orderId":"42"}' });
    expect(post.content).toBe('tool got POST /tool {"orderId":"42"}');
    const get = await acts.callTool({ tenantId: t.tenantId, nodeId: 'answer', url: `${base}/tool`, method: 'GET', arguments: '{"q":"opening hours"}' });
    expect(get.content).toBe('tool got GET /tool?q=opening+hours ');
  });

  it('gives the model readable errors instead of failing the turn', async () => {
    const t = await makeTenant(deps.orm);
    const acts = activitiesFor(deps);
    expect((await acts.callTool({ tenantId: t.tenantId, nodeId: 'answer', url: `${base}/tool`, method: 'POST', arguments: '{}' })).content).toMatch(/^error: host 127\.0\.0\.1 is not on the allowlist/);
    expect((await acts.callTool({ tenantId: t.tenantId, nodeId: 'answer', url: `${base}/tool`, method: 'POST', arguments: '{oops' })).content).toMatch(/not valid JSON/);
  });
});
