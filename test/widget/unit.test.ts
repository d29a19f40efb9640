/**
 * The widget's pure parts: visitor tokens, channel settings, the webchat adapter, reconnect
 * backoff and the transcript that keeps every message once and in order.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webchatAdapter } from '../../channels/webchat/adapter';
import { ProviderError, type ChannelConfig, type InboundRequest } from '../../channels/types';
import { signChatToken } from '../../api/services/chat-token';
import { signVisitorToken, verifyVisitorToken } from '../../api/services/widget-sessions';
import { chatSocketFrame, webchatSettingsSchema, type WebchatSettings } from '../../core/api/widget';
import { AppError } from '../../core/errors';
import { reconnectDelay } from '../../widget/src/backoff';
import { Transcript, type ChatMessage } from '../../widget/src/transcript';

const secret = randomBytes(32);
const visitor = { tenantId: randomUUID(), conversationId: randomUUID(), channelId: randomUUID(), visitorId: randomUUID() };

describe('visitor tokens', () => {
  it('round-trips the tenant, conversation, channel and visitor', () => {
    const { token, expiresAt } = signVisitorToken(secret, visitor);
    expect(verifyVisitorToken(secret, token)).toMatchObject(visitor);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);
  });

  it('rejects a tampered payload, a foreign key, an expired token and a chat token without a visitor', () => {
    const { token } = signVisitorToken(secret, visitor);
    const [body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), conversationId: randomUUID() })).toString('base64url');
    const codes = (t: string, key = secret) => {
      try {
        verifyVisitorToken(key, t);
        return 'accepted';
      } catch (err) {
        return (err as AppError).code;
      }
    };
    expect(codes(`${forged}.${sig}`)).toBe('unauthorized');
    expect(codes(token, randomBytes(32))).toBe('unauthorized');
    expect(codes('not-a-token')).toBe('unauthorized');
    const expired = signVisitorToken(secret, visitor, Date.now() - 13 * 3600_000).token;
    expect(codes(expired)).toBe('unauthorized');
    const developerToken = signChatToken(secret, { tenantId: visitor.tenantId, conversationId: visitor.conversationId, exp: Date.now() / 1000 + 60 });
    expect(codes(developerToken)).toBe('unauthorized');
  });
});

describe('webchat settings', () => {
  it('fills defaults and accepts a full configuration', () => {
    expect(webchatSettingsSchema.parse({})).toEqual({
      brandColor: '#2457d6', position: 'right', greeting: '', avatarUrl: null, language: 'en', title: 'Chat with us', allowedOrigins: [], fileUpload: true,
    });
    const full: WebchatSettings = {
      brandColor: '#0A7', position: 'left', greeting: 'Hi!', avatarUrl: 'https://cdn.example.com/a.png', language: 'pt-BR', title: 'Help', allowedOrigins: ['https://shop.example.com', 'http://localhost:8080'], fileUpload: false,
    };
    expect(webchatSettingsSchema.parse(full)).toEqual(full);
  });

  it.each([
    [{ brandColor: 'blue' }, 'brandColor'],
    [{ position: 'top' }, 'position'],
    [{ language: 'not a tag!' }, 'language'],
    [{ avatarUrl: 'javascript:alert(1)' }, 'avatarUrl'],
    [{ allowedOrigins: ['https://shop.example.com/'] }, 'allowedOrigins.0'],
    [{ allowedOrigins: ['shop.example.com'] }, 'allowedOrigins.0'],
    [{ fileUpload: 'yes' }, 'fileUpload'],
    [{ apiKey: 'x' }, ''],
  ])('refuses %j naming the field', (settings, field) => {
    const result = webchatSettingsSchema.safeParse(settings);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path.join('.')).toBe(field);
  });

  it('parses socket frames: messages with a clientId, typing, nothing else', () => {
    expect(chatSocketFrame.parse({ text: ' hi ', clientId: 'abc-12345' })).toEqual({ text: 'hi', clientId: 'abc-12345' });
    expect(chatSocketFrame.parse({ type: 'typing', typing: true })).toEqual({ type: 'typing', typing: true });
    expect(chatSocketFrame.safeParse({ text: '' }).success).toBe(false);
    expect(chatSocketFrame.safeParse({ type: 'typing' }).success).toBe(false);
    expect(chatSocketFrame.safeParse({ text: 'x', clientId: 'bad id with spaces' }).success).toBe(false);
  });
});

describe('webchat adapter', () => {
  const channel: ChannelConfig<Record<string, never>, WebchatSettings> = {
    id: randomUUID(), tenantId: randomUUID(), type: 'webchat', name: 'Site', credentials: {}, webhookUrl: 'http://x/v1/webhooks/webchat/1',
    settings: webchatSettingsSchema.parse({ allowedOrigins: ['https://shop.example.com'] }),
  };
  const request: InboundRequest = { method: 'POST', url: 'http://x', headers: {}, query: {}, rawBody: Buffer.from('{}') };

  it('has no webhooks and no provider send, and says so', async () => {
    expect(() => webchatAdapter.verify(request, channel)).toThrow(/no provider webhooks/);
    expect(() => webchatAdapter.parse(request, channel)).toThrow(AppError);
    const sent = webchatAdapter.send(channel, { text: 'hi' }, { idempotencyKey: 'k', contactAddress: 'v', thread: {}, lastInboundAt: null });
    await expect(sent).rejects.toBeInstanceOf(ProviderError);
    await expect(sent).rejects.toMatchObject({ retryable: false });
  });

  it('validates empty credentials and reports a working connection', async () => {
    expect(webchatAdapter.credentialsSchema.parse({})).toEqual({});
    expect(webchatAdapter.credentialsSchema.safeParse({ token: 'x' }).success).toBe(false);
    await expect(webchatAdapter.testConnection(channel)).resolves.toEqual({ ok: true, detail: expect.stringContaining('https://shop.example.com') });
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially with jitter and stays under the cap', () => {
    const opts = { baseMs: 500, capMs: 15_000 };
    expect(reconnectDelay(0, opts, () => 0)).toBe(250);
    expect(reconnectDelay(0, opts, () => 1)).toBe(500);
    expect(reconnectDelay(3, opts, () => 0)).toBe(2000);
    expect(reconnectDelay(3, opts, () => 1)).toBe(4000);
    for (let attempt = 0; attempt < 40; attempt++) {
      const d = reconnectDelay(attempt, opts);
      expect(d).toBeGreaterThanOrEqual(Math.min(15_000, 500 * 2 ** attempt) / 2);
      expect(d).toBeLessThanOrEqual(15_000);
    }
  });
});

describe('transcript', () => {
  const msg = (id: string, at: number, author: ChatMessage['author'] = 'bot', text = id): ChatMessage => ({
    id, author, text, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, at)).toISOString(),
  });

  it('keeps each id once, in (createdAt, id) order, whatever order frames arrive in', () => {
    const t = new Transcript();
    expect(t.add(msg('c', 3))).toBe(0);
    expect(t.add(msg('a', 1))).toBe(0);
    expect(t.add(msg('b', 2))).toBe(1);
    expect(t.add(msg('c', 3))).toBe(-1);
    expect(t.add(msg('d', 3))).toBe(3);
    expect(t.messages.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(t.lastId()).toBe('d');
  });

  it('confirms pending visitor messages when the server echoes them, oldest first', () => {
    const t = new Transcript();
    const first = t.queue('same', 'client-1');
    t.queue('same', 'client-2');
    t.queue('other', 'client-3');
    t.add(msg('x', 1, 'contact', 'same'));
    expect(t.isPending(first.clientId)).toBe(false);
    expect(t.pending.map((p) => p.clientId)).toEqual(['client-2', 'client-3']);
    t.add(msg('y', 2, 'bot', 'other'));
    expect(t.pending).toHaveLength(2);
  });

  it('replaces a message seen again only when its content changed (a file stored, a receipt)', () => {
    const t = new Transcript();
    const photo: ChatMessage = { ...msg('p', 1, 'contact', '[image]'), attachments: [{ status: 'pending', name: 'a.png' }] };
    expect(t.replace(photo)).toBeUndefined();
    t.add(photo);
    expect(t.replace({ ...photo })).toBeNull();
    const stored = { ...photo, attachments: [{ status: 'stored' as const, name: 'a.png', url: 'https://x/f', thumbnailUrl: 'https://x/t' }] };
    expect(t.replace(stored)).toMatchObject({ id: 'p', attachments: [{ status: 'stored', thumbnailUrl: 'https://x/t' }] });
    expect(t.messages).toHaveLength(1);
    expect(t.messages[0].attachments![0].status).toBe('stored');
  });
});
