/**
 * WhatsApp Business Cloud API. Inbound: Meta's handshake and signature, then the webhook parser.
 * Outbound: text, templates, media and interactive messages through the Graph API, refusing
 * free-form messages outside the 24-hour customer-service window unless a fallback template is
 * configured (`settings.windowTemplate`, the reply text as its body parameter).
 */
import { z } from 'zod';
import { graphEnv, secret, sendRateSetting } from '../meta/common';
import { GraphClient, SEND_TIMEOUT_MS } from '../meta/graph';
import { metaWebhookAuth, parseJsonBody } from '../meta/signature';
import { ProviderError, type AdapterEnv, type ChannelAdapter, type OutboundSend, type SendContext } from '../types';
import { parseWhatsAppWebhook } from './inbound';
import { whatsappBody } from './outbound';

export const whatsappCredentials = z.object({
  accessToken: secret('accessToken'),
  appSecret: secret('appSecret'),
  verifyToken: secret('verifyToken'),
});

export const whatsappSettings = z.object({
  phoneNumberId: z.string().regex(/^\d{5,20}$/, 'phoneNumberId must be the numeric id of the WhatsApp phone number'),
  businessAccountId: z.string().regex(/^\d{5,20}$/, 'businessAccountId must be numeric').optional(),
  sendRatePerSecond: sendRateSetting,
  /** Sent instead of free-form text outside the 24-hour window: an approved template with one body parameter. */
  windowTemplate: z.object({ name: z.string().min(1).max(512), language: z.string().min(2).max(16) }).optional(),
});

export type WhatsAppCredentials = z.infer<typeof whatsappCredentials>;
export type WhatsAppSettings = z.infer<typeof whatsappSettings>;

const WINDOW_MS = 24 * 3600_000;

export function insideWindow(lastInboundAt: string | null, now = Date.now()): boolean {
  return lastInboundAt !== null && now - Date.parse(lastInboundAt) < WINDOW_MS;
}

/** Outside the window only templates are delivered: use the configured one, or fail clearly. */
function windowed(message: OutboundSend, settings: WhatsAppSettings, context: SendContext): OutboundSend {
  if (message.template || insideWindow(context.lastInboundAt)) return message;
  if (settings.windowTemplate) return { ...message, media: undefined, interactive: undefined, template: { ...settings.windowTemplate, parameters: [message.text] } };
  throw new ProviderError(
    'outside the WhatsApp 24-hour customer-service window: only template messages can be sent (set settings.windowTemplate or send a template)',
    false,
    { code: 'outside_window' },
  );
}

export function whatsappAdapter(env: AdapterEnv): ChannelAdapter<WhatsAppCredentials, WhatsAppSettings> {
  const graph = graphEnv(env);
  const client = (c: WhatsAppCredentials) => new GraphClient(graph, c.accessToken);
  return {
    type: 'whatsapp',
    credentialsSchema: whatsappCredentials,
    settingsSchema: whatsappSettings,
    ...metaWebhookAuth<WhatsAppCredentials>(),
    parse: (request, channel) => parseWhatsAppWebhook(parseJsonBody(request), channel.settings.phoneNumberId),

    async fetchMedia(channel, mediaId, limits) {
      const api = client(channel.credentials);
      const info = await api.call<{ url?: string; mime_type?: string }>('GET', encodeURIComponent(mediaId));
      if (!info.url) throw new ProviderError(`media ${mediaId} has no download URL`, false);
      const file = await api.download(info.url, limits);
      return { data: file.data, contentType: info.mime_type ?? file.contentType };
    },

    async send(channel, message, context) {
      const body = whatsappBody(context.contactAddress, windowed(message, channel.settings, context));
      const res = await client(channel.credentials).call<{ messages?: { id: string }[] }>('POST', `${channel.settings.phoneNumberId}/messages`, body, { timeoutMs: SEND_TIMEOUT_MS });
      const id = res.messages?.[0]?.id;
      if (!id) throw new ProviderError('the Cloud API accepted the message but returned no message id', false);
      return { providerMessageId: id };
    },

    async testConnection(channel) {
      try {
        const info = await client(channel.credentials).call<{ display_phone_number?: string; verified_name?: string }>(
          'GET',
          `${channel.settings.phoneNumberId}?fields=display_phone_number,verified_name`,
        );
        return { ok: true, detail: `connected to ${info.display_phone_number ?? channel.settings.phoneNumberId}${info.verified_name ? ` (${info.verified_name})` : ''}` };
      } catch (err) {
        if (err instanceof ProviderError) return { ok: false, detail: err.message };
        throw err;
      }
    },
  };
}
