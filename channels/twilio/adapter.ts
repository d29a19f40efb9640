/**
 * SMS/MMS through Twilio Programmable Messaging. Inbound messages and status callbacks arrive on
 * the channel's webhook URL as signed form posts; replies go out through the Messages API. That
 * API has no idempotency key, so a retried send first looks for a message an earlier attempt
 * created (same To, sender and body, since the first attempt) before posting again. The channel's
 * webhook URL is also the StatusCallback of every send, so delivery reports come back the same,
 * signed, way.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors';
import type { AdapterEnv, ChannelAdapter, ChannelConfig, InboundRequest, OutboundSend } from '../types';
import { ProviderError } from '../types';
import { headerOf, isVideo, mediaTypeOf, plainTextOf } from '../wire';
import { createMessage, downloadMedia, fetchAccount, listMessages, TWILIO_API_BASE, type TwilioAuth, type TwilioMessage } from './client';
import { parseTwilioWebhook } from './inbound';
import { formValue, hasBodyHash, isValidTwilioBodySignature, isValidTwilioSignature, parseForm, type FormParams } from './signature';

const E164 = /^\+[1-9]\d{6,14}$/;
/** Twilio refuses longer bodies (error 21617); a clipped answer beats none. */
const MAX_BODY = 1600;

export const twilioCredentialsSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/i, 'an Account SID is "AC" followed by 32 hexadecimal characters'),
  authToken: z.string().regex(/^[0-9a-f]{32}$/i, 'an auth token is 32 hexadecimal characters'),
  apiBaseUrl: z.string().url().optional(),
});

export const twilioSettingsSchema = z
  .object({
    fromNumber: z.string().regex(E164, 'fromNumber must be an E.164 number such as +14155550100').optional(),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-f]{32}$/i, 'a Messaging Service SID is "MG" followed by 32 hexadecimal characters')
      .optional(),
    /** The Messages API's base URL (default https://api.twilio.com); tests point it at a fake. */
    apiBaseUrl: z.string().url().optional(),
    /** Ask Twilio for delivery reports on the channel's webhook URL (default true). */
    statusCallbacks: z.boolean().optional(),
    sendRatePerSecond: z.number().positive().max(1000).optional(),
  })
  .refine((s) => Boolean(s.fromNumber || s.messagingServiceSid), {
    message: 'set fromNumber (E.164) or messagingServiceSid',
    path: ['fromNumber'],
  });

export type TwilioCredentials = z.infer<typeof twilioCredentialsSchema>;
export type TwilioSettings = z.infer<typeof twilioSettingsSchema>;
type TwilioChannel = ChannelConfig<TwilioCredentials, TwilioSettings>;

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export const twilioAdapter = (env: AdapterEnv): ChannelAdapter<TwilioCredentials, TwilioSettings> => ({
  type: 'sms',
  credentialsSchema: twilioCredentialsSchema,
  settingsSchema: twilioSettingsSchema,
  providerUrls: { fields: ['apiBaseUrl'], domain: 'twilio.com' },
  ack: { status: 200, contentType: 'text/xml', body: EMPTY_TWIML },

  verify(request, channel) {
    const signature = headerOf(request, 'x-twilio-signature');
    if (!signature) throw new AppError('unauthorized', 'the X-Twilio-Signature header is missing', { field: 'x-twilio-signature' });
    const params = mediaTypeOf(request) === 'application/json' ? {} : parseForm(request.rawBody);
    const token = channel.credentials.authToken;
    // A JSON body is signed through the bodySHA256 query parameter, a form body by its parameters.
    const valid = signedUrlCandidates(request, channel).some((url) =>
      hasBodyHash(url) ? isValidTwilioBodySignature(token, signature, url, request.rawBody) : isValidTwilioSignature(token, signature, url, params),
    );
    if (!valid) throw new AppError('forbidden', 'the X-Twilio-Signature does not match this channel', { field: 'x-twilio-signature' });
  },

  parse: (request) => parseTwilioWebhook(request),

  async fetchMedia(channel, ref, limits) {
    return downloadMedia(authOf(env, channel), ref, limits);
  },

  async send(channel, message, context) {
    const { fromNumber, messagingServiceSid, statusCallbacks } = channel.settings;
    if (!fromNumber && !messagingServiceSid) throw new ProviderError('the SMS channel has no fromNumber or messagingServiceSid', false);
    const attach = !!message.media && mmsAttaches(message.media, context.contactAddress);
    const form: FormParams = { To: context.contactAddress, Body: clip(plainTextOf(message, { mediaAsLink: !!message.media && !attach })) };
    if (messagingServiceSid) form.MessagingServiceSid = messagingServiceSid;
    else form.From = fromNumber!;
    if (message.media && attach) form.MediaUrl = message.media.url;
    if (statusCallbacks !== false) form.StatusCallback = channel.webhookUrl;
    const auth = authOf(env, channel);
    if (context.retryingSince) {
      const earlier = await findEarlierSend(auth, form, context.retryingSince);
      if (earlier) return { providerMessageId: earlier.sid, recovered: true };
    }
    const sent = await createMessage(auth, form);
    return { providerMessageId: sent.sid };
  },

  async testConnection(channel) {
    try {
      const account = await fetchAccount(authOf(env, channel));
      const ok = account.status === 'active';
      return { ok, detail: `Twilio account "${account.friendly_name}" is ${account.status}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  },
});

/**
 * A message this send's earlier attempt created: outbound to the same number from the same sender,
 * with the same body and media count, created since the first attempt (Twilio keeps whole seconds).
 */
async function findEarlierSend(auth: TwilioAuth, form: FormParams, since: string): Promise<TwilioMessage | undefined> {
  const to = formValue(form, 'To')!;
  const from = formValue(form, 'From');
  const service = formValue(form, 'MessagingServiceSid');
  const notBefore = Math.floor(Date.parse(since) / 1000) * 1000;
  const media = form.MediaUrl === undefined ? 0 : ([] as string[]).concat(form.MediaUrl).length;
  const recent = await listMessages(auth, { to, ...(from ? { from } : {}) });
  return recent.find(
    (m) =>
      m.direction.startsWith('outbound') &&
      (service ? m.messaging_service_sid === service : m.from === from) &&
      m.body === formValue(form, 'Body') &&
      Number(m.num_media) === media &&
      Date.parse(m.date_created) >= notBefore,
  );
}

/** REST credentials of a Twilio channel (SMS, and voice: channels/voice/adapter.ts). */
export function authOf(env: AdapterEnv, channel: { credentials: TwilioCredentials; settings: { apiBaseUrl?: string } }): TwilioAuth {
  return {
    fetch: env.fetch,
    mediaHosts: env.config.TWILIO_MEDIA_HOSTS,
    accountSid: channel.credentials.accountSid,
    authToken: channel.credentials.authToken,
    baseUrl: channel.settings.apiBaseUrl ?? channel.credentials.apiBaseUrl ?? TWILIO_API_BASE,
  };
}

/**
 * Twilio signs the URL it called: the request's external URL, or the channel's webhook URL with
 * the request's query string when a proxy in front of the API rewrote the host.
 */
function signedUrlCandidates(request: InboundRequest, channel: TwilioChannel): string[] {
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  return [...new Set([request.url, channel.webhookUrl + query])];
}





/**
 * Whether a file goes as MMS media or as a link in the text. Twilio sends MMS to US and Canadian
 * numbers only (elsewhere it turns the message into an SMS with a link of its own) and caps a message's
 * media at 5 MB: a video goes as media only within both, else as our link. Images keep going as media.
 */
const MMS_MAX_BYTES = 5 * 1024 * 1024;
function mmsAttaches(media: NonNullable<OutboundSend['media']>, to: string): boolean {
  if (!isVideo(media)) return true;
  return /^\+1\d{10}$/.test(to) && media.byteSize !== undefined && media.byteSize <= MMS_MAX_BYTES;
}

function clip(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_BODY ? text : `${chars.slice(0, MAX_BODY - 1).join('')}…`;
}
