/**
 * The limits README.md promises, read from its text: the numbers are pinned as literals, the
 * code's constants must equal them, and each limit is probed at the limit (accepted) and one
 * byte or request past it (the documented refusal).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { MAX_DOCUMENT_BYTES } from '../../core/api/knowledge';
import { WIDGET_SESSION_LIMIT, WIDGET_UPLOAD_MAX_BYTES } from '../../core/api/widget';
import { readCapped } from '../../channels/media';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { createWebchatChannel, openSession, upload } from '../widget/support';

const MB = 1024 * 1024;
// One line per sentence: the README wraps its prose anywhere.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

/** The number `pattern` captures in README.md; fails when the sentence changed or is gone. */
function documented(pattern: RegExp): number {
  const match = pattern.exec(readme);
  if (!match) throw new Error(`README.md no longer says ${pattern}`);
  return Number(match[1].replace(/,/g, ''));
}

const DOCUMENTED = {
  widgetSessionsPerMinute: documented(/`POST \/v1\/widget\/<channelId>\/sessions` \((\d+) per minute per IP and channel\)/),
  widgetUploadMB: documented(/`413` over (\d+) MB, `415` for another type/),
  widgetUploadSettingMB: documented(/PDFs and text files up to (\d+) MB/),
  documentMB: documented(/over (\d+) MB gets `413`/),
  documentFormatsMB: documented(/plain text; (\d+) MB at most\)/),
  emailInboundBytes: documented(/\| `EMAIL_INBOUND_MAX_BYTES` \| `(\d+)`/),
  emailInboundMB: documented(/\| `EMAIL_INBOUND_MAX_BYTES` \| `\d+` \((\d+) MB\)/),
  otherWebhooksMB: documented(/other webhooks take (\d+) MB/),
  channelMediaBytes: documented(/\| `CHANNEL_MEDIA_MAX_BYTES` \| `(\d+)`/),
  channelMediaMB: documented(/\| `CHANNEL_MEDIA_MAX_BYTES` \| `\d+` \((\d+) MB\)/),
};

describe('README.md limits', () => {
  it('are the documented numbers', () => {
    expect(DOCUMENTED).toEqual({
      widgetSessionsPerMinute: 60,
      widgetUploadMB: 10,
      widgetUploadSettingMB: 10,
      documentMB: 25,
      documentFormatsMB: 25,
      emailInboundBytes: 26_214_400,
      emailInboundMB: 25,
      otherWebhooksMB: 1,
      channelMediaBytes: 20_971_520,
      channelMediaMB: 20,
    });
  });

  it('are the code’s constants and defaults', () => {
    expect(WIDGET_SESSION_LIMIT).toEqual({ max: DOCUMENTED.widgetSessionsPerMinute, windowSeconds: 60 });
    expect(WIDGET_UPLOAD_MAX_BYTES).toBe(DOCUMENTED.widgetUploadMB * MB);
    expect(WIDGET_UPLOAD_MAX_BYTES).toBe(DOCUMENTED.widgetUploadSettingMB * MB);
    expect(MAX_DOCUMENT_BYTES).toBe(DOCUMENTED.documentMB * MB);
    const defaults = loadConfig({});
    expect(defaults.EMAIL_INBOUND_MAX_BYTES).toBe(DOCUMENTED.emailInboundBytes);
    expect(defaults.EMAIL_INBOUND_MAX_BYTES).toBe(DOCUMENTED.emailInboundMB * MB);
    expect(defaults.CHANNEL_MEDIA_MAX_BYTES).toBe(DOCUMENTED.channelMediaBytes);
    expect(defaults.CHANNEL_MEDIA_MAX_BYTES).toBe(DOCUMENTED.channelMediaMB * MB);
  });
});

describe('at the limit and one past it', () => {
  let stack: Stack;
  let apiKey: string;
  beforeAll(async () => {
    stack = await startStack({ ...sharedServers(), worker: false });
    ({ apiKey } = await stack.createTenant());
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = async (path: string, body: Buffer, contentType: string) => {
    const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it(`widget sessions: ${DOCUMENTED.widgetSessionsPerMinute} a minute per address and channel, then 429`, async () => {
    const { channelId } = await createWebchatChannel(stack, apiKey, receptionFlow);
    const statuses = [];
    for (let i = 0; i < DOCUMENTED.widgetSessionsPerMinute; i++) statuses.push((await openSession(stack, channelId)).status);
    expect(new Set(statuses)).toEqual(new Set([201]));
    const past = await openSession(stack, channelId);
    expect(past.status).toBe(429);
    expect(past.body.error.code).toBe('rate_limited');
  });

  it(`widget uploads: ${DOCUMENTED.widgetUploadMB} MB is stored, one byte more is 413`, async () => {
    const { channelId } = await createWebchatChannel(stack, apiKey, receptionFlow);
    const { token } = (await openSession(stack, channelId)).body;
    const file = (bytes: number) => ({ bytes: Buffer.alloc(bytes, 0x61), name: 'notes.txt', type: 'text/plain' });
    const atLimit = await upload(stack, token, file(DOCUMENTED.widgetUploadMB * MB));
    expect(atLimit.status, JSON.stringify(atLimit.body)).toBe(201);
    const past = await upload(stack, token, file(DOCUMENTED.widgetUploadMB * MB + 1));
    expect(past.status).toBe(413);
    expect(past.body.error).toMatchObject({ code: 'payload_too_large', field: 'file' });
  });

  it(`knowledge documents: ${DOCUMENTED.documentMB} MB is accepted, one byte more is 413`, async () => {
    const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Limits' } });
    expect(kb.status).toBe(201);
    const send = async (bytes: number) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes).fill(0x61)], { type: 'text/plain' }), 'big.txt');
      const res = await fetch(`${stack.url}/v1/knowledge-bases/${kb.body.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
      return { status: res.status, body: (await res.json()) as any };
    };
    const atLimit = await send(DOCUMENTED.documentMB * MB);
    expect(atLimit.status, JSON.stringify(atLimit.body)).toBe(202);
    const past = await send(DOCUMENTED.documentMB * MB + 1);
    expect(past.status).toBe(413);
    expect(past.body.error.field).toBe('file');
  });

  // An unknown channel answers 404 only after the whole body was read: at the limit that is the
  // answer; one byte past it the body is refused first.
  it(`provider webhooks: ${DOCUMENTED.otherWebhooksMB} MB is read, one byte more is 413`, async () => {
    const path = `/v1/webhooks/whatsapp/${randomUUID()}`;
    const limit = DOCUMENTED.otherWebhooksMB * MB;
    expect((await post(path, Buffer.alloc(limit, 0x20), 'application/json')).status).toBe(404);
    const past = await post(path, Buffer.alloc(limit + 1, 0x20), 'application/json');
    expect(past.status).toBe(413);
  });

  it(`inbound email: ${DOCUMENTED.emailInboundMB} MB is read, one byte more is 413`, async () => {
    const path = `/v1/webhooks/email/${randomUUID()}`;
    const limit = DOCUMENTED.emailInboundBytes;
    expect((await post(path, Buffer.alloc(limit, 0x61), 'message/rfc822')).status).toBe(404);
    expect((await post(path, Buffer.alloc(limit + 1, 0x61), 'message/rfc822')).status).toBe(413);
  });

  it(`channel media: ${DOCUMENTED.channelMediaMB} MB is downloaded, one byte more is refused for good (the message goes on without it)`, async () => {
    const limits = { maxBytes: loadConfig({}).CHANNEL_MEDIA_MAX_BYTES };
    const response = (bytes: number, declared: boolean) =>
      new Response(new Uint8Array(bytes), { headers: declared ? { 'content-length': String(bytes) } : {} });
    for (const declared of [true, false]) {
      expect((await readCapped(response(limits.maxBytes, declared), limits)).byteLength).toBe(limits.maxBytes);
      await expect(readCapped(response(limits.maxBytes + 1, declared), limits)).rejects.toMatchObject({ retryable: false, opts: { code: 'too_large' } });
    }
  });
});
