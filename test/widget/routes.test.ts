/**
 * The widget's HTTP and socket surface against the real stack (API + worker, Temporal dev server,
 * PostgreSQL, Redis): public config and origins, visitor sessions that resume, the socket's
 * `since` cursor, clientId deduplication, visitor typing, uploads and their limits.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatTokenKey, signChatToken } from '../../api/services/chat-token';
import { verifyVisitorToken } from '../../api/services/widget-sessions';
import { WIDGET_SESSION_LIMIT, WIDGET_UPLOAD_MAX_BYTES } from '../../core/api/widget';
import { liveChannel } from '../../events/live';
import { MediaAsset } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { parseSecretKey } from '../../db/secrets';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ChatClient } from '../support/ws';
import { createWebchatChannel, openSession, PNG_BYTES, upload } from './support';

let stack: Stack;
let apiKey: string;
let tenantId: string;
let channelId: string;
let secret: Buffer;
const SITE = 'https://shop.example.com';

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey, tenantId } = await stack.createTenant());
  secret = chatTokenKey(parseSecretKey(stack.config.SWITCHBOARD_SECRET_KEY!));
  ({ channelId } = await createWebchatChannel(stack, apiKey, receptionFlow, {
    brandColor: '#0a7d5a', position: 'left', greeting: 'Hi there!', title: 'Harbor Dental', language: 'nl', allowedOrigins: [SITE],
  }));
});

afterAll(async () => {
  await stack?.close();
});

const socketUrl = (token: string, since?: string) => `${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(token)}${since ? `&since=${since}` : ''}`;

describe('GET /v1/widget/:channelId/config', () => {
  it('returns only the public settings, with CORS for an allowed origin', async () => {
    const res = await fetch(`${stack.url}/v1/widget/${channelId}/config`, { headers: { origin: SITE } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(['avatarUrl', 'brandColor', 'channelId', 'fileUpload', 'greeting', 'language', 'position', 'title', 'upload']);
    expect(body).toMatchObject({ channelId, brandColor: '#0a7d5a', position: 'left', greeting: 'Hi there!', title: 'Harbor Dental', language: 'nl', avatarUrl: null, fileUpload: true });
    expect(body.upload.maxBytes).toBe(WIDGET_UPLOAD_MAX_BYTES);
  });

  it('refuses other origins with 403 and no CORS headers; answers preflights', async () => {
    const res = await fetch(`${stack.url}/v1/widget/${channelId}/config`, { headers: { origin: 'https://evil.example.net' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await res.json()).error).toMatchObject({ code: 'forbidden', field: 'origin' });
    const session = await openSession(stack, channelId, {}, { origin: 'https://evil.example.net' });
    expect(session.status).toBe(403);

    const preflight = await fetch(`${stack.url}/v1/widget/${channelId}/sessions`, {
      method: 'OPTIONS',
      headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('404s an unknown channel and 400s a malformed id, naming the field', async () => {
    const missing = await fetch(`${stack.url}/v1/widget/${randomUUID()}/config`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.field).toBe('channelId');
    const bad = await fetch(`${stack.url}/v1/widget/not-a-uuid/config`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('channelId');
  });

  it('documents the widget routes in OpenAPI', async () => {
    const doc = await (await fetch(`${stack.url}/docs/json`)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/widget/{channelId}/config', '/v1/widget/{channelId}/sessions', '/v1/widget/uploads']));
  });

  it('serves widget.js', async () => {
    const res = await fetch(`${stack.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(await res.text()).toContain('/v1/widget/');
  });
});

describe('POST /v1/widget/:channelId/sessions', () => {
  it('signs a visitor token; the same visitor resumes the same conversation, another gets its own', async () => {
    const first = await openSession(stack, channelId, {}, { origin: SITE });
    expect(first.status).toBe(201);
    expect(first.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(first.body.resumed).toBe(false);
    const payload = verifyVisitorToken(secret, first.body.token);
    expect(payload).toMatchObject({ tenantId, channelId, conversationId: first.body.conversationId, visitorId: first.body.visitorId });

    const again = await openSession(stack, channelId, { visitorId: first.body.visitorId });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ conversationId: first.body.conversationId, visitorId: first.body.visitorId, resumed: true });

    const other = await openSession(stack, channelId, { visitorId: randomUUID() });
    expect(other.body.conversationId).not.toBe(first.body.conversationId);

    const conversation = await stack.request('GET', `/v1/conversations/${first.body.conversationId}`, { apiKey });
    expect(conversation.body).toMatchObject({ channel: 'webchat' });
  });

  it('lands simultaneous first requests of one visitor on one conversation', async () => {
    const visitorId = randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => openSession(stack, channelId, { visitorId })));
    expect(new Set(results.map((r) => r.body.conversationId)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('refuses a tampered token on the socket', async () => {
    const { body } = await openSession(stack, channelId);
    const [payload, sig] = body.token.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), conversationId: randomUUID() })).toString('base64url')}.${sig}`;
    const client = await ChatClient.open(socketUrl(tampered));
    const error = await client.waitFor((f) => f.type === 'error');
    expect(error.error.code).toBe('unauthorized');
    await new Promise((r) => client.socket.once('close', r));
  });

  it('explains a channel without a flow, and rate-limits per IP', async () => {
    const { channelId: noFlow } = await createWebchatChannel(stack, apiKey, null);
    const res = await openSession(stack, noFlow);
    expect(res.status).toBe(409);
    expect(res.body.error.field).toBe('flowId');

    // The request above was the first of the window.
    const responses = [];
    for (let i = 1; i <= WIDGET_SESSION_LIMIT.max; i++) responses.push(await openSession(stack, noFlow));
    expect(responses.slice(0, -1).every((r) => r.status === 409)).toBe(true);
    const limited = responses.at(-1)!;
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the chat socket for widget visitors', () => {
  it('sends only messages after `since`, and the full history for an id it does not know', async () => {
    const { body } = await openSession(stack, channelId);
    const client = await ChatClient.open(socketUrl(body.token));
    await client.waitFor((f) => f.type === 'history');
    client.send({ text: 'hello', clientId: 'c-hello-1' });
    await client.waitFor((f) => f.type === 'message' && f.message.text === 'Hello! What is your name?');
    client.send({ text: 'Ada', clientId: 'c-ada-0001' });
    await client.waitFor((f) => f.type === 'message' && f.message.text === 'How can I help you today?');
    const all = client.messages();
    expect(all.map((m) => m.text)).toEqual(['hello', 'Hello! What is your name?', 'Ada', 'Nice to meet you, Ada!', 'How can I help you today?']);
    client.close();

    const resumed = await ChatClient.open(socketUrl(body.token, all[1].id));
    const history = await resumed.waitFor((f) => f.type === 'history');
    expect(history.since).toBe(all[1].id);
    expect(history.messages.map((m: any) => m.id)).toEqual(all.slice(2).map((m) => m.id));
    resumed.close();

    const atEnd = await ChatClient.open(socketUrl(body.token, all[4].id));
    expect((await atEnd.waitFor((f) => f.type === 'history')).messages).toEqual([]);
    atEnd.close();

    const unknown = await ChatClient.open(socketUrl(body.token, randomUUID()));
    expect((await unknown.waitFor((f) => f.type === 'history')).messages.map((m: any) => m.id)).toEqual(all.map((m) => m.id));
    unknown.close();
  });

  it('takes a message resent with the same clientId once, and publishes the visitor typing', async () => {
    const { body } = await openSession(stack, channelId);
    const subscriber = new Redis(sharedServers().redisUrl);
    const published: any[] = [];
    subscriber.on('message', (_ch, raw) => published.push(JSON.parse(raw)));
    await subscriber.subscribe(liveChannel(tenantId, body.conversationId));
    try {
      const client = await ChatClient.open(socketUrl(body.token));
      await client.waitFor((f) => f.type === 'history');
      client.send({ type: 'typing', typing: true });
      client.send({ text: 'hello', clientId: 'dup-000001' });
      client.send({ text: 'hello', clientId: 'dup-000001' });
      await client.waitFor((f) => f.type === 'message' && f.message.text === 'Hello! What is your name?');
      client.close();
      // A second connection (the reconnect) resends it too.
      const again = await ChatClient.open(socketUrl(body.token));
      await again.waitFor((f) => f.type === 'history');
      again.send({ text: 'hello', clientId: 'dup-000001' });
      again.send({ text: 'Grace', clientId: 'grace-0001' });
      await again.waitFor((f) => f.type === 'message' && f.message.text === 'Nice to meet you, Grace!');
      again.close();
      const transcript = await stack.request('GET', `/v1/conversations/${body.conversationId}/messages`, { apiKey });
      const contactTexts = (transcript.body.messages ?? transcript.body.items).filter((m: any) => m.author === 'contact').map((m: any) => m.text);
      expect(contactTexts).toEqual(['hello', 'Grace']);
      expect(published).toContainEqual({ type: 'typing', author: 'contact', typing: true });
    } finally {
      await subscriber.quit();
    }
  });
});

describe('POST /v1/widget/uploads', () => {
  it('stores an allowed file as a media asset of the conversation, behind a signed link', async () => {
    const { body } = await openSession(stack, channelId);
    const res = await upload(stack, body.token, { bytes: PNG_BYTES, name: 'receipt.png', type: 'image/png' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'receipt.png', contentType: 'image/png', size: PNG_BYTES.length });
    const asset = await tenantEm(stack.orm, tenantId).findOneOrFail(MediaAsset, { id: res.body.id });
    expect(asset).toMatchObject({ conversationId: body.conversationId, channelId, byteSize: PNG_BYTES.length, contentType: 'image/png' });

    const file = await fetch(res.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG_BYTES);
    const forged = await fetch(res.body.url.replace(/sig=.*/, 'sig=AAAA'));
    expect(forged.status).toBe(403);
  });

  it('401 without a visitor token, 413 over the limit, 415 for a type or content it does not take', async () => {
    const { body } = await openSession(stack, channelId);
    const png = { bytes: PNG_BYTES, name: 'a.png', type: 'image/png' };
    expect((await upload(stack, null, png)).status).toBe(401);
    const developerToken = signChatToken(secret, { tenantId, conversationId: body.conversationId, exp: Date.now() / 1000 + 60 });
    expect((await upload(stack, developerToken, png)).status).toBe(401);

    const big = await upload(stack, body.token, { bytes: Buffer.alloc(WIDGET_UPLOAD_MAX_BYTES + 1, 0x61), name: 'big.txt', type: 'text/plain' });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'payload_too_large', field: 'file' });

    const exe = await upload(stack, body.token, { bytes: Buffer.from('MZ\x90\x00'), name: 'setup.exe', type: 'application/x-msdownload' });
    expect(exe.status).toBe(415);
    expect(exe.body.error).toMatchObject({ code: 'unsupported_media_type', field: 'file' });
    const disguised = await upload(stack, body.token, { bytes: Buffer.from('<html><script>alert(1)</script>'), name: 'cat.png', type: 'image/png' });
    expect(disguised.status).toBe(415);
  });

  it('is refused when the channel turns uploads off', async () => {
    const { channelId: closed } = await createWebchatChannel(stack, apiKey, receptionFlow, { fileUpload: false });
    const { body } = await openSession(stack, closed);
    const res = await upload(stack, body.token, { bytes: PNG_BYTES, name: 'a.png', type: 'image/png' });
    expect(res.status).toBe(403);
    expect(res.body.error.field).toBe('file');
  });
});
