/**
 * The `webchat` channel: the embeddable widget (widget/, api/routes/widget.ts). Visitors reach the
 * conversation through the chat WebSocket with a signed visitor token, and replies are published
 * on the conversation's live channel (events/live.ts) rather than sent to a provider, so this
 * adapter has no webhooks and no outbound API: it validates the widget's settings and says so
 * clearly if anything calls the provider-facing parts.
 */
import { z } from 'zod';
import { webchatSettingsSchema, type WebchatSettings } from '../../core/api/widget';
import { AppError } from '../../core/errors';
import { ProviderError, type ChannelAdapter } from '../types';

/** Nothing secret: the visitor token is signed with the platform key, not a per-channel credential. */
export const webchatCredentials = z.object({}).strict();
export type WebchatCredentials = z.infer<typeof webchatCredentials>;

const noWebhooks = () =>
  new AppError('bad_request', 'web-chat channels have no provider webhooks: visitors write through the widget (POST /v1/widget/:channelId/sessions, then the chat WebSocket)', {
    field: 'type',
  });

export const webchatAdapter: ChannelAdapter<WebchatCredentials, WebchatSettings> = {
  type: 'webchat',
  credentialsSchema: webchatCredentials,
  settingsSchema: webchatSettingsSchema,
  verify() {
    throw noWebhooks();
  },
  parse() {
    throw noWebhooks();
  },
  /**
   * Never called: the foundation only sends through adapters for whatsapp, messenger, sms and
   * email (EXTERNAL_CHANNELS); web-chat replies are stored and published to the visitor's socket.
   * A call here is a wiring mistake, reported as a permanent failure so it is not retried.
   */
  async send() {
    throw new ProviderError('web-chat replies are delivered over the widget socket, not through a provider send', false, { code: 'not_supported' });
  },
  async testConnection(channel) {
    const origins = channel.settings.allowedOrigins;
    const where = origins.length ? `embeddable on ${origins.join(', ')}` : 'embeddable on any site (allowedOrigins is empty)';
    return { ok: true, detail: `web chat needs no provider connection; the widget is served by this API and is ${where}` };
  },
};
