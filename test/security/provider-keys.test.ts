/**
 * Provider settings (language model, embeddings, reranker) and the email channel's SMTP host:
 * a stored key is sent only to the stored endpoint, an internal baseURL or SMTP host is refused
 * with a 400 naming the field (unless the operator allow-lists it: the test setup allow-lists
 * 127.0.0.1 only), and connection tests answer in fixed words, never with the remote body, a
 * service banner, or text that tells a closed port from a listening one.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let stored: FakeOpenAI;
let other: FakeOpenAI;
let leaky: Server;
let banner: TcpServer;
let leakyUrl: string;
let bannerUrl: string;
const SECRET_TEXT = 'INTERNAL-ONLY-7f3a';

beforeAll(async () => {
  [stored, other] = await Promise.all([startFakeOpenAI(), startFakeOpenAI()]);
  leaky = createHttpServer((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `${SECRET_TEXT} stack trace` } })));
  banner = createTcpServer((socket) => socket.end(`SSH-2.0-OpenSSH_9.6 ${SECRET_TEXT}\r\n`));
  await Promise.all([new Promise<void>((r) => leaky.listen(0, '127.0.0.1', r)), new Promise<void>((r) => banner.listen(0, '127.0.0.1', r))]);
  leakyUrl = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}/v1`;
  bannerUrl = `http://127.0.0.1:${(banner.address() as AddressInfo).port}/v1`;
  stack = await startStack(sharedServers());
});
afterAll(async () => {
  await stack?.close();
  await Promise.all([stored?.close(), other?.close()]);
  leaky?.close();
  banner?.close();
});

const RESOURCES = [
  { key: 'llm', extra: {} },
  { key: 'embeddings', extra: {} },
  { key: 'reranker', extra: { kind: 'rerank-api' } },
] as const;

describe.each(RESOURCES)('$key settings', ({ key, extra }) => {
  const path = `/v1/settings/${key}`;

  it('sends the stored key only to the stored baseURL', async () => {
    const { apiKey } = await stack.createTenant();
    const put = (body: object) => stack.request('PUT', path, { apiKey, body: { ...extra, model: 'm', ...body } });
    expect((await put({ baseURL: `${stored.url}/v1`, apiKey: 'sk-stored-secret' })).status).toBe(200);
    const before = other.requests.length;

    const moved = await put({ baseURL: `${other.url}/v1` });
    expect(moved.status).toBe(400);
    expect(moved.body.error.field).toBe('apiKey');
    const test = await stack.request('POST', `${path}/test`, { apiKey, body: { ...extra, baseURL: `${other.url}/v1`, model: 'm' } });
    expect(test.status).toBe(400);
    expect(test.body.error.field).toBe('apiKey');
    expect(other.requests.length).toBe(before);

    // The stored endpoint (a trailing slash aside) still keeps its key, and a new key moves with a new URL.
    expect((await put({ baseURL: `${stored.url}/v1/` })).status).toBe(200);
    expect((await put({ baseURL: `${other.url}/v1`, apiKey: 'sk-other' })).body.apiKeySet).toBe(true);
  });

  it.each(['http://127.0.0.2:1/v1', 'http://[::1]:1/v1', 'http://169.254.169.254/v1', 'http://10.0.0.1/v1', 'http://[::ffff:10.0.0.1]/v1', 'http://[64:ff9b::a00:1]/v1'])(
    'refuses the internal baseURL %s with a 400 naming it, at PUT and when tested',
    async (baseURL) => {
      const { apiKey } = await stack.createTenant();
      const put = await stack.request('PUT', path, { apiKey, body: { ...extra, baseURL, model: 'm', apiKey: '' } });
      expect(put.status).toBe(400);
      expect(put.body.error).toMatchObject({ field: 'baseURL', message: expect.stringMatching(/not reachable from the platform/) });
      const test = await stack.request('POST', `${path}/test`, { apiKey, body: { ...extra, baseURL, model: 'm', apiKey: '' } });
      expect(test.body).toMatchObject({ ok: false, detail: expect.stringMatching(/^refused: .* not reachable from the platform/) });
    },
  );

  it('answers tests in fixed words: no remote body, no banner, the same for a banner as for a closed port', async () => {
    const { apiKey } = await stack.createTenant();
    const test = async (baseURL: string) => (await stack.request('POST', `${path}/test`, { apiKey, body: { ...extra, baseURL, model: 'm', apiKey: '' } })).body;
    const body = await test(leakyUrl);
    expect(body).toMatchObject({ ok: false, detail: 'the provider answered HTTP 500' });
    const fromBanner = await test(bannerUrl);
    const closed = await test('http://127.0.0.1:9/v1');
    expect(JSON.stringify([body, fromBanner, closed])).not.toContain(SECRET_TEXT);
    expect(JSON.stringify([fromBanner, closed])).not.toMatch(/SSH|ECONNREFUSED|socket|closed/i);
    expect(fromBanner.detail.replace(bannerUrl, 'URL')).toBe(closed.detail.replace('http://127.0.0.1:9/v1', 'URL'));
  });
});

describe('language model fallbacks', () => {
  it('refuses an internal fallback baseURL, naming it', async () => {
    const { apiKey } = await stack.createTenant();
    const res = await stack.request('PUT', '/v1/settings/llm', {
      apiKey,
      body: { baseURL: `${stored.url}/v1`, model: 'm', apiKey: '', fallbacks: [{ baseURL: 'http://192.168.0.10/v1', model: 'm', apiKey: '' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('fallbacks.0.baseURL');
  });
});

describe('the email channel', () => {
  const body = (smtpHost: string) => ({
    type: 'email',
    name: 'Front desk',
    credentials: { inboundSigningSecret: 's'.repeat(40) },
    settings: { fromAddress: 'desk@hotel.example', smtpHost, smtpPort: 2525 },
  });

  it.each(['127.0.0.2', 'localhost6', '::1', '169.254.169.254', '::ffff:10.0.0.1'])('refuses the internal SMTP host %s with a 400 naming it', async (host) => {
    const { apiKey } = await stack.createTenant();
    const res = await stack.request('POST', '/v1/channels', { apiKey, body: body(host) });
    if (host === 'localhost6' && res.status === 201) return; // no such name on this machine: left to the connection test
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('settings.smtpHost');
  });

  it('accepts a public or allow-listed host, and refuses an internal one on update', async () => {
    const { apiKey } = await stack.createTenant();
    const created = await stack.request('POST', '/v1/channels', { apiKey, body: body('127.0.0.1') });
    expect(created.status).toBe(201);
    const patched = await stack.request('PATCH', `/v1/channels/${created.body.id}`, { apiKey, body: { settings: body('10.1.1.1').settings } });
    expect(patched.status).toBe(400);
    expect(patched.body.error.field).toBe('settings.smtpHost');
  });

  it('tests the SMTP connection without repeating the banner', async () => {
    const { apiKey } = await stack.createTenant();
    const port = (banner.address() as AddressInfo).port;
    const created = await stack.request('POST', '/v1/channels', { apiKey, body: { ...body('127.0.0.1'), settings: { ...body('127.0.0.1').settings, smtpPort: port } } });
    const test = await stack.request('POST', `/v1/channels/${created.body.id}/test`, { apiKey });
    expect(test.body.ok).toBe(false);
    expect(JSON.stringify(test.body)).not.toContain(SECRET_TEXT);
    expect(JSON.stringify(test.body)).not.toContain('SSH');
  });
});
