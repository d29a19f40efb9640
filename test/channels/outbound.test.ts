/** The Meta adapters' outbound shapes and error mapping, straight against the fake Graph API (no stack). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { adapterFor } from '../../channels/registry';
import { ProviderError, type ChannelConfig, type SendContext } from '../../channels/types';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/graph-api-server';

let graph: FakeGraphApi;
let wa: ChannelConfig;
let ms: ChannelConfig;
let config: ReturnType<typeof loadConfig>;
const now = new Date().toISOString();
const ctx = (contactAddress: string, lastInboundAt: string | null = now): SendContext => ({ idempotencyKey: 'k', contactAddress, thread: {}, lastInboundAt });

beforeAll(async () => {
  graph = await startFakeGraphApi();
  graph.addWhatsAppNumber({ phoneNumberId: '1065403522', accessToken: 'wa-token' });
  graph.addPage({ pageId: '1477392262', accessToken: 'page-token', name: 'Harbor Dental' });
  config = loadConfig({ META_GRAPH_URL: graph.url, OUTBOUND_ALLOWED_PRIVATE: process.env.OUTBOUND_ALLOWED_PRIVATE });
  const base = { tenantId: 't', name: 'x', webhookUrl: 'https://example.com/hook' };
  wa = { ...base, id: 'wa', type: 'whatsapp', credentials: { accessToken: 'wa-token', appSecret: 's', verifyToken: 'v' }, settings: { phoneNumberId: '1065403522' } };
  ms = { ...base, id: 'ms', type: 'messenger', credentials: { pageAccessToken: 'page-token', appSecret: 's', verifyToken: 'v' }, settings: { pageId: '1477392262', typingIndicators: false } };
});
afterAll(async () => graph?.close());

const lastSent = () => graph.sent.at(-1)!.body;

describe('WhatsApp outbound', () => {
  const send = (message: Parameters<ReturnType<typeof adapterFor>['send']>[1], lastInboundAt?: string | null) => adapterFor('whatsapp', config).send(wa, message, ctx('+4915123456789', lastInboundAt));

  it('sends templates with parameters, media, buttons and lists in the Cloud API shapes', async () => {
    const { providerMessageId } = await send({ text: '', template: { name: 'appointment_reminder', language: 'en_US', parameters: ['Ada', 'Tuesday 9:00'] } }, null);
    expect(providerMessageId).toMatch(/^wamid\./);
    expect(lastSent()).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '4915123456789',
      type: 'template',
      template: { name: 'appointment_reminder', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'Tuesday 9:00' }] }] },
    });

    await send({ text: 'Your invoice', media: { url: 'https://cdn.example.com/inv.pdf', contentType: 'application/pdf', name: 'invoice.pdf' } });
    expect(lastSent()).toMatchObject({ type: 'document', document: { link: 'https://cdn.example.com/inv.pdf', caption: 'Your invoice', filename: 'invoice.pdf' } });
    await send({ text: '', media: { url: 'https://cdn.example.com/x.png', contentType: 'image/png', caption: 'X-ray' } });
    expect(lastSent()).toMatchObject({ type: 'image', image: { link: 'https://cdn.example.com/x.png', caption: 'X-ray' } });

    await send({ text: 'Confirm?', interactive: { type: 'buttons', options: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] } });
    expect(lastSent().interactive).toEqual({ type: 'button', body: { text: 'Confirm?' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } });

    const slots = Array.from({ length: 5 }, (_, i) => ({ id: `slot-${i}`, title: `${9 + i}:00 with Dr. Rivera-Montgomery` }));
    await send({ text: 'Pick a time', interactive: { type: 'buttons', options: slots, button: 'Times' } });
    expect(lastSent().interactive.type).toBe('list');
    expect(lastSent().interactive.action.button).toBe('Times');
    expect(lastSent().interactive.action.sections[0].rows[0].title).toHaveLength(24);
  });

  it('refuses free text outside the 24-hour window before calling the provider', async () => {
    const before = graph.requests.length;
    const old = new Date(Date.now() - 25 * 3600_000).toISOString();
    const err = await send({ text: 'hello again' }, old).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.retryable).toBe(false);
    expect(err.opts.code).toBe('outside_window');
    expect(graph.requests.length).toBe(before);
  });

  it('maps provider errors: 5xx and 429 retryable with Retry-After, 4xx permanent, unreachable retryable', async () => {
    graph.failNext(1, { status: 503 });
    expect(await send({ text: 'a' }).catch((e) => e)).toMatchObject({ retryable: true, opts: { status: 503 } });
    graph.failNext(1, { status: 429, retryAfter: '7' });
    expect(await send({ text: 'a' }).catch((e) => e)).toMatchObject({ retryable: true, opts: { status: 429, retryAfterMs: 7000 } });
    graph.failNext(1, { status: 400, code: 131030, message: 'Recipient phone number not in allowed list' });
    expect(await send({ text: 'a' }).catch((e) => e)).toMatchObject({ retryable: false, opts: { code: '131030' } });
    const offline = adapterFor('whatsapp', loadConfig({ META_GRAPH_URL: 'http://127.0.0.1:1', OUTBOUND_ALLOWED_PRIVATE: process.env.OUTBOUND_ALLOWED_PRIVATE }));
    expect(await offline.send(wa, { text: 'a' }, ctx('+1555')).catch((e) => e)).toMatchObject({ retryable: true });
  });
});

describe('Messenger outbound', () => {
  const send = (message: Parameters<ReturnType<typeof adapterFor>['send']>[1]) => adapterFor('messenger', config).send(ms, message, ctx('6101234567'));

  it('sends text, quick replies, button templates and attachments in the Send API shapes', async () => {
    const { providerMessageId } = await send({ text: 'Hi there' });
    expect(providerMessageId).toMatch(/^m_/);
    expect(lastSent()).toEqual({ recipient: { id: '6101234567' }, messaging_type: 'RESPONSE', message: { text: 'Hi there' } });

    await send({ text: 'Which day?', interactive: { type: 'list', options: [{ id: 'MON', title: 'Monday' }, { id: 'TUE', title: 'Tuesday' }] } });
    expect(lastSent().message).toEqual({ text: 'Which day?', quick_replies: [{ content_type: 'text', title: 'Monday', payload: 'MON' }, { content_type: 'text', title: 'Tuesday', payload: 'TUE' }] });

    await send({ text: 'Confirm?', interactive: { type: 'buttons', options: [{ id: 'YES', title: 'Yes' }] } });
    expect(lastSent().message.attachment).toEqual({ type: 'template', payload: { template_type: 'button', text: 'Confirm?', buttons: [{ type: 'postback', title: 'Yes', payload: 'YES' }] } });

    await send({ text: '', media: { url: 'https://cdn.example.com/map.png', contentType: 'image/png' } });
    expect(lastSent().message).toEqual({ attachment: { type: 'image', payload: { url: 'https://cdn.example.com/map.png', is_reusable: true } } });
  });

  it('tests the connection and notices a token for another page', async () => {
    const adapter = adapterFor('messenger', config);
    expect(await adapter.testConnection(ms)).toEqual({ ok: true, detail: 'connected to page Harbor Dental' });
    expect(await adapter.testConnection({ ...ms, settings: { ...ms.settings, pageId: '999999999' } })).toMatchObject({ ok: false });
    expect(await adapter.testConnection({ ...ms, credentials: { ...ms.credentials, pageAccessToken: 'bad' } })).toMatchObject({ ok: false, detail: expect.stringContaining('190') });
  });
});
