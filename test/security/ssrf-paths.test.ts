/**
 * Every outbound path of the platform goes through the guarded client: Messenger and Twilio
 * attachment downloads, the Graph client, URL ingestion, the httpRequest node, the reranker, chat
 * completions, embeddings and SMTP. Under the default policy each is tried with internal address
 * literals, a host name that resolves to loopback (`localhost`) and the IPv6 transition forms;
 * with 127.0.0.1 allow-listed (as the test setup does for its fakes, and an operator would for a
 * local model server), a redirect from it into the rest of the network; and a rebinding resolver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailAdapter } from '../../channels/email/adapter';
import { sendSmtp, verifySmtp } from '../../channels/email/smtp';
import { GraphClient } from '../../channels/meta/graph';
import { messengerAdapter } from '../../channels/messenger';
import { adapterEnv } from '../../channels/registry';
import { twilioAdapter } from '../../channels/twilio/adapter';
import { flowPolicy } from '../../net/allowlist';
import { streamCompletion } from '../../llm/stream';
import { providerEmbedder } from '../../knowledge/embedder';
import { fetchSource } from '../../knowledge/ingest-fetch';
import { createReranker } from '../../knowledge/rerank';
import { loadConfig } from '../../core/config';
import { OutboundRefusedError, type AddressPolicy } from '../../net/address-policy';
import { makeTenant } from '../db/fixtures';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';
import { TRANSITION_FORMS } from './support';

let server: Server;
let port: number;
let smtp: FakeSmtp;
let deps: TestDeps;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url!);
    const u = new URL(req.url!, 'http://x');
    if (u.pathname.endsWith('/redirect')) return res.writeHead(302, { location: u.searchParams.get('to')! }).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('internal data');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  smtp = await startFakeSmtp();
  deps = await testDeps();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await smtp.close();
  await deps.close();
});

// Media hosts opened to the fake by name: the address policy alone decides below.
const MEDIA = { MESSENGER_MEDIA_HOSTS: ['127.0.0.1', 'localhost', '::1', '10.0.0.1', '169.254.169.254', ...TRANSITION_FORMS].join(','), TWILIO_MEDIA_HOSTS: '' };
/** The default policy: nothing internal. */
const config = loadConfig({ ...MEDIA, OUTBOUND_ALLOWED_PRIVATE: '' });
const env = adapterEnv(config);
const policy: AddressPolicy = { allowedPrivate: [] };
/** 127.0.0.1 allow-listed, as in the test setup: the redirect server is reachable, nothing behind it. */
const fakesConfig = loadConfig({ ...MEDIA, OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' });
const fakesEnv = adapterEnv(fakesConfig);
/** The same internal targets for every path, and the redirects from the allow-listed fake into the network. */
const internal = () => [`http://127.0.0.1:${port}/x`, `http://localhost:${port}/x`, `http://[::1]:${port}/x`, `http://10.0.0.1:${port}/x`, `http://169.254.169.254/latest/meta-data/`];
const v6 = () => TRANSITION_FORMS.map((a) => `http://[${a}]:${port}/x`);
const redirects = () =>
  [`http://127.0.0.2:${port}/secret`, `http://[::1]:${port}/secret`, 'http://169.254.169.254/latest/meta-data/', `http://[::ffff:127.0.0.2]:${port}/secret`].map(
    (to) => `http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(to)}`,
  );

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, any>> {
  const result = await promise.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(result, 'the request should have been refused').toBeInstanceOf(Error);
  return result as Error & Record<string, any>;
}

function neverReached(before: number) {
  expect(hits.slice(before).filter((h) => h !== '/redirect' && !h.includes('/redirect?'))).toEqual([]);
}

describe('channel attachment downloads', () => {
  it('Messenger: refuses internal targets for good, and URLs off the media hosts', async () => {
    const before = hits.length;
    for (const [adapter, url] of [...[...internal(), ...v6()].map((u) => [messengerAdapter(env), u] as const), ...redirects().map((u) => [messengerAdapter(fakesEnv), u] as const)]) {
      const err = await failure(adapter.fetchMedia!({} as never, url, { maxBytes: 1000 }));
      expect(err, url).toMatchObject({ name: 'ProviderError', retryable: false, opts: { code: 'refused' } });
    }
    // With the default media hosts (Facebook's CDNs), the fake's own address is no media host.
    expect(await failure(defaultMessenger().fetchMedia!({} as never, `http://127.0.0.1:${port}/x`, { maxBytes: 1000 }))).toMatchObject({ retryable: false, opts: { code: 'host_refused' } });
    neverReached(before);
  });

  it('Twilio: media only from the media hosts, redirects checked', async () => {
    const twilio = twilioAdapter(env);
    const channel = (apiBaseUrl: string) => ({ credentials: { accountSid: 'AC1', authToken: 'f'.repeat(32) }, settings: { apiBaseUrl } }) as never;
    const before = hits.length;
    // The API host is a media host: a redirect from it into the network is refused on the hop.
    for (const url of redirects()) {
      expect(await failure(twilioAdapter(fakesEnv).fetchMedia!(channel(`http://127.0.0.1:${port}`), url, { maxBytes: 1000 })), url).toMatchObject({ retryable: false, opts: { code: 'refused' } });
    }
    for (const url of internal()) {
      expect(await failure(twilio.fetchMedia!(channel('https://api.twilio.com'), url, { maxBytes: 1000 })), url).toMatchObject({ retryable: false, opts: { code: 'host_refused' } });
    }
    // An apiBaseUrl naming an internal address (saved before the URL rules, say) is refused at connect time.
    for (const origin of [`http://127.0.0.2:${port}`, `http://localhost:${port}`, ...TRANSITION_FORMS.map((a) => `http://[${a}]:${port}`)]) {
      expect(await failure(twilio.fetchMedia!(channel(origin), `${origin}/x`, { maxBytes: 1000 })), origin).toMatchObject({ retryable: false, opts: { code: 'refused' } });
    }
    neverReached(before);
  });

  it('the Graph client (WhatsApp media, sends) refuses internal hosts and redirects into the network', async () => {
    const before = hits.length;
    for (const baseUrl of [`http://localhost:${port}`, `http://127.0.0.2:${port}`, ...TRANSITION_FORMS.map((a) => `http://[${a}]:${port}`)]) {
      const graph = new GraphClient({ baseUrl, version: 'v21.0', fetch: env.fetch }, 'token');
      expect(await failure(graph.call('GET', 'me')), baseUrl).toMatchObject({ retryable: false, opts: { code: 'refused' } });
    }
    const graph = new GraphClient({ baseUrl: `http://127.0.0.1:${port}`, version: 'v21.0', fetch: fakesEnv.fetch }, 'token');
    for (const url of redirects()) expect(await failure(graph.download(url, { maxBytes: 1000 })), url).toMatchObject({ retryable: false, opts: { code: 'refused' } });
    neverReached(before);
  });
});

describe('URL ingestion', () => {
  it('refuses internal targets, the IPv6 transition forms and redirects, for good', async () => {
    const before = hits.length;
    for (const [url, cfg] of [...[...internal(), ...v6()].map((u) => [u, config] as const), ...redirects().map((u) => [u, fakesConfig] as const)]) {
      const err = await failure(fetchSource(url, { policy: flowPolicy(cfg) }));
      expect(err, url).toMatchObject({ name: 'SourceFetchError', permanent: true, message: expect.stringMatching(/not reachable from the platform/) });
    }
    neverReached(before);
  });

  it('connects to the address the rebinding resolver gave first', async () => {
    let calls = 0;
    const rebinding: AddressPolicy = { allowedPrivate: ['127.0.0.1'], resolve: async () => [calls++ === 0 ? '127.0.0.1' : '169.254.169.254'] };
    const got = await fetchSource(`http://docs.rebind.test:${port}/page.txt`, { policy: rebinding });
    expect(got.bytes.toString()).toBe('internal data');
    expect(calls).toBe(1);
  });
});

describe('the httpRequest node and LLM tools', () => {
  it('refuses internal targets behind a wildcard allow-list, and the IPv6 transition forms', async () => {
    const t = await makeTenant(deps.orm, { httpAllowedHosts: ['*'] });
    const strict = activitiesFor({ ...deps, config: { ...deps.config, OUTBOUND_ALLOWED_PRIVATE: [] } });
    const before = hits.length;
    for (const [url, acts] of [...[...internal(), ...v6()].map((u) => [u, strict] as const), ...redirects().map((u) => [u, activitiesFor(deps)] as const)]) {
      const result = await acts.httpRequest({ tenantId: t.tenantId, nodeId: 'http', method: 'GET', url, headers: {}, timeoutMs: 2000, responseMapping: {} });
      expect(result, url).toMatchObject({ ok: false, status: 0, error: expect.stringMatching(/not reachable from the platform/) });
    }
    // LLM tools share the node's client.
    for (const url of internal()) {
      const tool = await strict.callTool({ tenantId: t.tenantId, nodeId: 'answer', url, method: 'GET', arguments: '{}' });
      expect(tool.content, url).toMatch(/^error: .*not reachable from the platform/);
    }
    neverReached(before);
  });
});

describe('model providers', () => {
  const targets = () => [`http://127.0.0.1:${port}/v1`, `http://localhost:${port}/v1`, `http://[::ffff:127.0.0.1]:${port}/v1`, `http://[64:ff9b::7f00:1]:${port}/v1`, `http://[::7f00:1]:${port}/v1`];

  it('chat completions refuse an internal baseURL at connect time', async () => {
    const before = hits.length;
    for (const baseURL of targets()) {
      const err = await failure(streamCompletion({ baseURL, apiKey: 'sk', model: 'm', policy }, { messages: [{ role: 'user', content: 'hi' }] }));
      expect(JSON.stringify({ m: err.message, c: String(err.cause) }), baseURL).toMatch(/not reachable from the platform/);
    }
    neverReached(before);
  });

  it('embeddings and both rerankers refuse an internal baseURL', async () => {
    const before = hits.length;
    for (const baseURL of targets()) {
      const embed = await failure(providerEmbedder({ baseURL, apiKey: 'k', model: 'e', policy }).embed(['x']));
      expect(`${embed.message} ${String(embed.cause)}`, baseURL).toMatch(/not reachable from the platform/);
      await expect(createReranker({ kind: 'rerank-api', baseURL, apiKey: '', model: 'r', policy }).score('q', ['p']), baseURL).rejects.toBeInstanceOf(OutboundRefusedError);
      const llm = await failure(createReranker({ kind: 'llm', baseURL, apiKey: '', model: 'r', policy }).score('q', ['p']));
      expect(`${llm.message} ${String(llm.cause)}`, baseURL).toMatch(/not reachable from the platform/);
    }
    neverReached(before);
  });
});

describe('SMTP', () => {
  const server = (host: string) => ({ host, port: smtp.port });

  it('refuses an internal host before connecting, for good, and the test says so in fixed words', async () => {
    for (const host of ['127.0.0.1', 'localhost', '::ffff:127.0.0.1', '::7f00:1', '2002:7f00:1::1']) {
      expect(await failure(sendSmtp(server(host), policy, { from: 'a@x.example', to: 'b@y.example', text: 'hi' })), host).toMatchObject({ retryable: false, opts: { code: 'refused' } });
      expect(await verifySmtp(server(host), policy), host).toMatchObject({ ok: false, detail: expect.stringMatching(/not reachable from the platform/) });
    }
    expect(smtp.attempts).toBe(0);
  });

  it('connects to the checked address: a rebinding resolver is asked once', async () => {
    let calls = 0;
    const rebinding: AddressPolicy = { allowedPrivate: ['127.0.0.1'], resolve: async () => [calls++ === 0 ? '127.0.0.1' : '10.0.0.1'] };
    await sendSmtp(server('mail.rebind.test'), rebinding, { from: 'a@x.example', to: 'b@y.example', text: 'hi' });
    expect((await smtp.waitFor(1))[0].envelope.to).toEqual(['b@y.example']);
    expect(calls).toBe(1);
  });

  it('the email channel refuses an internal SMTP host in the adapter too', async () => {
    const email = emailAdapter(env);
    const channel = { credentials: { inboundSigningSecret: 's'.repeat(32) }, settings: { fromAddress: 'a@x.example', smtpHost: '127.0.0.1', smtpPort: smtp.port }, id: 'c', name: 'n' } as never;
    expect(await email.testConnection(channel)).toMatchObject({ ok: false, detail: expect.stringMatching(/127\.0\.0\.1 is not reachable/) });
  });
});

function defaultMessenger() {
  return messengerAdapter(adapterEnv(loadConfig({ OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' })));
}

