/**
 * Facebook Messenger (Send API). Inbound shares Meta's handshake and signature with WhatsApp.
 * A reply is framed by sender actions: mark_seen and typing_on before it, typing_off after it.
 * Those are cosmetic: short timeouts, failures ignored, and typing_off is not waited for, because
 * the Send API has no idempotency key and "never twice" rests on storing the message id the moment
 * the send returns it.
 */
import { z } from 'zod';
import { graphEnv, secret, sendRateSetting } from '../meta/common';
import { assertMediaHost, readCapped, unreachableError } from '../media';
import { GraphClient, SEND_TIMEOUT_MS } from '../meta/graph';
import { metaWebhookAuth, parseJsonBody } from '../meta/signature';
import { ProviderError, type AdapterEnv, type ChannelAdapter, type OutboundSend } from '../types';
import { parseMessengerWebhook, USER_REF_PREFIX } from './inbound';

export const messengerCredentials = z.object({
  pageAccessToken: secret('pageAccessToken'),
  appSecret: secret('appSecret'),
  verifyToken: secret('verifyToken'),
});

export const messengerSettings = z.object({
  pageId: z.string().regex(/^\d{5,20}$/, 'pageId must be the numeric id of the Facebook page'),
  sendRatePerSecond: sendRateSetting,
  /** Show typing and mark the contact's message seen before each reply (default true). */
  typingIndicators: z.boolean().default(true),
});

export type MessengerCredentials = z.infer<typeof messengerCredentials>;
export type MessengerSettings = z.infer<typeof messengerSettings>;

const QUICK_REPLIES_MAX = 13;
const BUTTONS_MAX = 3;
const TITLE_MAX = 20;
/** A sender action that has not answered by then is skipped: it only decorates the reply. */
const SENDER_ACTION_TIMEOUT_MS = 1_500;

export function messengerMessage(message: OutboundSend): Record<string, unknown> {
  if (message.media) {
    const type = ['image', 'video', 'audio'].find((t) => message.media!.contentType.startsWith(`${t}/`)) ?? 'file';
    return { attachment: { type, payload: { url: message.media.url, is_reusable: true } } };
  }
  const options = message.interactive?.options ?? [];
  if (message.interactive?.type === 'buttons' && options.length > 0 && options.length <= BUTTONS_MAX) {
    return {
      attachment: {
        type: 'template',
        payload: { template_type: 'button', text: message.text, buttons: options.map((o) => ({ type: 'postback', title: o.title.slice(0, TITLE_MAX), payload: o.id })) },
      },
    };
  }
  if (options.length > 0) {
    return { text: message.text, quick_replies: options.slice(0, QUICK_REPLIES_MAX).map((o) => ({ content_type: 'text', title: o.title.slice(0, TITLE_MAX), payload: o.id })) };
  }
  return { text: message.text };
}

export function messengerAdapter(env: AdapterEnv): ChannelAdapter<MessengerCredentials, MessengerSettings> {
  const graph = graphEnv(env);
  const client = (c: MessengerCredentials) => new GraphClient(graph, c.pageAccessToken);
  const senderAction = (api: GraphClient, psid: string, action: 'mark_seen' | 'typing_on' | 'typing_off') =>
    api.call('POST', 'me/messages', { recipient: { id: psid }, sender_action: action }, { timeoutMs: SENDER_ACTION_TIMEOUT_MS }).catch(() => undefined);

  return {
    type: 'messenger',
    credentialsSchema: messengerCredentials,
    settingsSchema: messengerSettings,
    ...metaWebhookAuth<MessengerCredentials>(),
    parse: (request, channel) => parseMessengerWebhook(parseJsonBody(request), channel.settings.pageId),

    // Attachment URLs are pre-signed CDN links: fetched without the page token, which must not leak to them.
    async fetchMedia(_channel, url, limits) {
      const target = assertMediaHost(url, env.config.MESSENGER_MEDIA_HOSTS);
      let res: Response;
      try {
        res = await env.fetch(target, { signal: AbortSignal.timeout(20_000) });
      } catch (err) {
        throw unreachableError('attachment download failed', err);
      }
      if (!res.ok) throw new ProviderError(`attachment download answered ${res.status}`, res.status === 429 || res.status >= 500, { status: res.status });
      return { data: await readCapped(res, limits), contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
    },

    async send(channel, message, context) {
      const api = client(channel.credentials);
      const psid = context.contactAddress;
      // A checkbox-plugin opt-in is answered by its user_ref; sender actions need a PSID.
      const userRef = psid.startsWith(USER_REF_PREFIX) ? psid.slice(USER_REF_PREFIX.length) : null;
      const typing = channel.settings.typingIndicators && !userRef;
      if (typing) {
        await senderAction(api, psid, 'mark_seen');
        await senderAction(api, psid, 'typing_on');
      }
      const res = await api.call<{ message_id?: string }>(
        'POST',
        'me/messages',
        { recipient: userRef ? { user_ref: userRef } : { id: psid }, ...(message.tag ? { messaging_type: 'MESSAGE_TAG', tag: message.tag } : { messaging_type: 'RESPONSE' }), message: messengerMessage(message) },
        { timeoutMs: SEND_TIMEOUT_MS },
      );
      // Not awaited: the caller stores the message id while typing_off is on its way.
      if (typing) void senderAction(api, psid, 'typing_off');
      if (!res.message_id) throw new ProviderError('the Send API accepted the message but returned no message id', false);
      return { providerMessageId: res.message_id };
    },

    async testConnection(channel) {
      try {
        const page = await client(channel.credentials).call<{ id?: string; name?: string }>('GET', 'me?fields=id,name');
        if (page.id && page.id !== channel.settings.pageId) return { ok: false, detail: `the token belongs to page ${page.id}, not ${channel.settings.pageId}` };
        return { ok: true, detail: `connected to page ${page.name ?? page.id ?? channel.settings.pageId}` };
      } catch (err) {
        if (err instanceof ProviderError) return { ok: false, detail: err.message };
        throw err;
      }
    },
  };
}
