/**
 * Meta's wire as Meta speaks it. Webhooks arrive in Meta's JSON (`\/` and `\uXXXX` escapes) signed
 * over those exact bytes: the platform must check the signature on the raw body and read the text
 * back unescaped. The Graph fake holds the platform to tokens per phone number and per page, and
 * to JSON sent as `application/json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaSignature } from '../../channels/meta/signature';
import { messengerText, metaJson, whatsappText } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';
import { startChannelBench, transcript, type ChannelBench } from './support';

/** Two numbers and two pages, each with its own token: the platform's channel uses the first of each. */
const [PHONE_ID, OTHER_PHONE_ID] = ['106540352242000', '106540352242111'];
const [PAGE_ID, OTHER_PAGE_ID] = ['1477392262500000', '1477392262511111'];
const SECRET = 'meta-app-secret';
const TEXT = 'Café ☕ at 10/11? Ünïcödé 😀 — https://harbor.example/a/b';
let bench: ChannelBench;
/** The platform's channels on the first number and the first page. */
let whatsapp: { id: string }, messenger: { id: string };

beforeAll(async () => {
  bench = await startChannelBench();
  [PHONE_ID, OTHER_PHONE_ID].forEach((phoneNumberId, i) => bench.graph.addWhatsAppNumber({ phoneNumberId, accessToken: ['EAAG-number-one', 'EAAG-number-two'][i] }));
  [PAGE_ID, OTHER_PAGE_ID].forEach((pageId, i) => bench.graph.addPage({ pageId, accessToken: ['EAAP-page-one', 'EAAP-page-two'][i] }));
  whatsapp = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-number-one', appSecret: SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID } });
  messenger = await bench.channel('messenger', { credentials: { pageAccessToken: 'EAAP-page-one', appSecret: SECRET, verifyToken: 'v' }, settings: { pageId: PAGE_ID } });
}, 120_000);
afterAll(async () => bench?.close());

const hook = (type: string, id: string) => `${bench.stack.url}/v1/webhooks/${type}/${id}`;

describe('Meta’s JSON escaping', () => {
  it('is what the fake sends: slashes and every non-ASCII character escaped', () => {
    expect(metaJson({ t: 'é/😀' })).toBe('{"t":"\\u00e9\\/\\ud83d\\ude00"}');
    expect(JSON.parse(metaJson({ t: TEXT })).t).toBe(TEXT);
  });

  it.each([
    ['whatsapp', () => whatsapp.id, () => whatsappText({ phoneNumberId: PHONE_ID, from: '15550007777' }, TEXT)],
    ['messenger', () => messenger.id, () => messengerText(PAGE_ID, '7100000000077', TEXT)],
  ])('%s: the signature is checked on the escaped bytes and the text is stored unescaped', async (type, id, body) => {
    const payload = body();
    // Signed over a re-serialization (unescaped) of the same body: not what Meta signed.
    const resigned = await bench.graph.post(hook(type, id()), SECRET, payload, { signature: metaSignature(SECRET, JSON.stringify(payload)) });
    expect(resigned.status).toBe(403);
    expect((await bench.graph.post(hook(type, id()), SECRET, payload)).status).toBe(200);
    await waitUntil(async () => (await transcript(bench, id())).some((m) => m.direction === 'in'), 20_000, 'the message stored');
    expect((await transcript(bench, id())).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual([TEXT]);
  });
});

describe('the Graph fake', () => {
  const graph = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${bench.graph.url}/v21.0/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });
  const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = { messaging_product: 'whatsapp', to: '15550001234', type: 'text', text: { body: 'hi' } };

  it('takes a phone number’s messages and details only with that number’s token', async () => {
    const wrong = await graph(`${PHONE_ID}/messages`, 'EAAG-number-two', json(text));
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect((await graph(PHONE_ID, 'EAAP-page-one')).status).toBe(401);
    const right = await graph(`${PHONE_ID}/messages`, 'EAAG-number-one', json(text));
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  });

  it('takes a page’s messages only with that page’s token', async () => {
    const message = { recipient: { id: '7100000000001' }, messaging_type: 'RESPONSE', message: { text: 'hi' } };
    expect((await graph(`${PAGE_ID}/messages`, 'EAAP-page-two', json(message))).status).toBe(401);
    expect((await graph(`${PAGE_ID}/messages`, 'EAAP-page-one', json(message))).status).toBe(200);
    expect((await graph('me/messages', 'EAAG-number-one', json(message))).status).toBe(401);
  });

  it('serves a number’s media only to that number, never to a page', async () => {
    bench.graph.addMedia('owned-media', Buffer.from('jpeg'), 'image/jpeg', { owner: PHONE_ID });
    expect((await graph('owned-media', 'EAAG-number-two')).status).toBe(401);
    expect((await graph('owned-media', 'EAAP-page-one')).status).toBe(401);
    const meta = await graph('owned-media', 'EAAG-number-one');
    expect(meta.status).toBe(200);
    const { url } = (await meta.json()) as { url: string };
    expect((await fetch(url, { headers: { authorization: 'Bearer EAAG-number-two' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer EAAG-number-one' } })).status).toBe(200);
  });

  it('reads a JSON body only when it is sent as application/json', async () => {
    const res = await graph(`${PHONE_ID}/messages`, 'EAAG-number-one', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(text) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/content type/);
  });
});
