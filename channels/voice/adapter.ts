/**
 * Phone calls through Twilio Programmable Voice: the channel's settings and credentials, the
 * signature check, the connection test. Calls themselves do not pass through the message
 * pipeline: their webhooks (`/v1/webhooks/voice/:channelId…`, api/routes/voice-webhooks.ts) are
 * answered from the call's `ivrCall` workflow with TwiML, and everything spoken is said within a
 * call, so there is nothing to `send`.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors';
import type { AdapterEnv, ChannelAdapter, ChannelConfig, InboundRequest } from '../types';
import { ProviderError } from '../types';
import { headerOf } from '../wire';
import { fetchAccount, type TwilioAuth } from '../twilio/client';
import { isValidTwilioSignature, parseForm } from '../twilio/signature';
import { authOf, twilioCredentialsSchema, type TwilioCredentials } from '../twilio/adapter';

const E164 = /^\+[1-9]\d{6,14}$/;

export const voiceSettingsSchema = z.object({
  /** The Twilio numbers whose Voice webhook is this channel's URL; the first places outbound calls. */
  numbers: z.array(z.string().regex(E164, 'numbers must be E.164 numbers such as +14155550100')).min(1, 'numbers needs at least one number').max(50),
  /** The tenant voice profile calls speak with (nodes may name another). */
  voiceProfileId: z.string().uuid('voiceProfileId must be a voice profile id').optional(),
  /** Twilio's REST base URL (default https://api.twilio.com); tests point it at a fake. */
  apiBaseUrl: z.string().url().optional(),
  /** BCP-47 language for Twilio's own voice and speech recognition (default en-US). */
  language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'language must be a language tag such as en-US').optional(),
});

export type VoiceSettings = z.infer<typeof voiceSettingsSchema>;
export type VoiceChannel = ChannelConfig<TwilioCredentials, VoiceSettings>;

/** The REST credentials of a voice channel (outbound calls, live call changes). */
export const voiceAuth = (env: AdapterEnv, channel: VoiceChannel): TwilioAuth => authOf(env, channel);

/**
 * Whether a voice webhook is Twilio's: X-Twilio-Signature over the URL exactly as called (the
 * request's external URL, or the channel's webhook URL + the request's sub-path and query when a
 * proxy rewrote the host) and the form parameters.
 */
export function verifyVoiceRequest(request: InboundRequest, channel: Pick<VoiceChannel, 'credentials' | 'webhookUrl'>, subPath = ''): Record<string, string | string[]> {
  const signature = headerOf(request, 'x-twilio-signature');
  if (!signature) throw new AppError('unauthorized', 'the X-Twilio-Signature header is missing', { field: 'x-twilio-signature' });
  const params = parseForm(request.rawBody);
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  const candidates = [...new Set([request.url, `${channel.webhookUrl}${subPath}${query}`])];
  if (!candidates.some((url) => isValidTwilioSignature(channel.credentials.authToken, signature, url, params))) {
    throw new AppError('forbidden', 'the X-Twilio-Signature does not match this channel', { field: 'x-twilio-signature' });
  }
  return params;
}

export const voiceAdapter = (env: AdapterEnv): ChannelAdapter<TwilioCredentials, VoiceSettings> => ({
  type: 'voice',
  credentialsSchema: twilioCredentialsSchema,
  settingsSchema: voiceSettingsSchema,
  providerUrls: { fields: ['apiBaseUrl'], domain: 'twilio.com' },

  verify(request, channel) {
    verifyVoiceRequest(request, channel);
  },

  // Call webhooks are answered by the call's workflow (api/routes/voice-webhooks.ts), never recorded as messages.
  parse: () => [],

  async send() {
    throw new ProviderError('a voice channel speaks within calls: start one with POST /v1/calls', false);
  },

  async testConnection(channel) {
    try {
      const account = await fetchAccount(voiceAuth(env, channel));
      return { ok: account.status === 'active', detail: `Twilio account "${account.friendly_name}" is ${account.status}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  },
});
