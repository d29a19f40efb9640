/**
 * The embeddable web-chat widget: the `webchat` channel's settings, the public config the widget
 * reads, visitor sessions, uploads and the frames the chat socket accepts from a browser.
 */
import { z } from 'zod';
import { text } from './common';

/** An origin exactly as browsers send it: scheme, host and optional port, no path (also the booking page's embedders). */
export const originSchema = text()
  .max(300)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'each allowed origin must look like https://shop.example.com (scheme and host, no path or trailing slash)');

/** BCP-47 language tag, accepted only when the runtime's Intl recognises it. */
const languageSchema = text()
  .max(35)
  .refine((s) => {
    try {
      return Intl.getCanonicalLocales(s).length === 1;
    } catch {
      return false;
    }
  }, 'language must be a BCP-47 tag such as en, nl or pt-BR');

export const webchatSettingsSchema = z
  .object({
    brandColor: text().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'brandColor must be a hex colour such as #2457d6').default('#2457d6'),
    position: z.enum(['left', 'right']).default('right'),
    /** Shown as the first bubble before the visitor writes; empty for none. */
    greeting: text().trim().max(500).default(''),
    avatarUrl: z.url({ protocol: /^https?$/, message: 'avatarUrl must be an http(s) URL' }).max(2000).nullable().default(null),
    language: languageSchema.default('en'),
    title: text().trim().min(1).max(80).default('Chat with us'),
    /** Sites that may embed the widget; empty allows any origin. */
    allowedOrigins: z.array(originSchema).max(100).default([]),
    fileUpload: z.boolean().default(true),
    /** The voice profile push-to-talk replies are spoken in (one of the tenant's, /v1/voices); unset or deleted: espeak-ng. */
    voiceProfileId: z.uuid({ message: 'voiceProfileId must be a voice profile id' }).nullable().optional(),
  })
  .strict();
export type WebchatSettings = z.infer<typeof webchatSettingsSchema>;

/**
 * Visitor sessions per IP and channel per minute: every page view of a returning visitor mints one,
 * and an office behind one address has many visitors; a script hammering the route does not get far.
 */
export const WIDGET_SESSION_LIMIT = { max: 60, windowSeconds: 60 };
/** Uploads per conversation per five minutes. */
export const WIDGET_UPLOAD_LIMIT = { max: 20, windowSeconds: 300 };

/** Widget uploads: small files a visitor may attach (images, PDFs, plain text). */
export const WIDGET_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const WIDGET_UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] as const;

/** Push-to-talk: a recording of up to about a minute (browser Opus/WebM, Ogg, MP4 audio or WAV), per conversation and five minutes at most this many. */
export const WIDGET_VOICE_MAX_BYTES = 2 * 1024 * 1024;
export const WIDGET_VOICE_LIMIT = { max: 30, windowSeconds: 300 };

/** What `POST /v1/widget/voice` answers: what was heard, the turn's replies, and the replies spoken (an MP3 URL, null when no engine could speak). */
export const widgetVoiceSchema = z.object({
  transcript: z.string(),
  transcriptEngine: z.enum(['openai', 'pocketsphinx']),
  replies: z.array(z.object({ id: z.string(), text: z.string() })),
  audioUrl: z.string().nullable(),
  speechEngine: z.enum(['elevenlabs', 'espeak-ng', 'twilio-say']).nullable(),
});

/** What `GET /v1/widget/:channelId/config` returns: the settings a page may see, nothing else. */
export const widgetConfigSchema = z.object({
  channelId: z.string(),
  title: z.string(),
  brandColor: z.string(),
  position: z.enum(['left', 'right']),
  greeting: z.string(),
  avatarUrl: z.string().nullable(),
  language: z.string(),
  fileUpload: z.boolean(),
  upload: z.object({ maxBytes: z.number().int(), types: z.array(z.string()) }),
});

export const widgetChannelParams = z.object({ channelId: z.uuid({ message: 'channelId must be a UUID' }) });

export const widgetSessionBody = z
  .object({
    /** The id this browser got from an earlier session: the same visitor resumes the same conversation. */
    visitorId: z.uuid({ message: 'visitorId must be a UUID' }).optional(),
  })
  .nullish();

export const widgetSessionSchema = z.object({
  token: z.string(),
  conversationId: z.string(),
  visitorId: z.string(),
  resumed: z.boolean(),
  expiresAt: z.string(),
});

export const widgetUploadSchema = z.object({
  id: z.string(),
  url: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});

/**
 * A frame from a chat-socket client: a message (`clientId` makes a resend after a reconnect
 * harmless) or the visitor's typing state.
 */
export const chatSocketFrame = z.union([
  z.object({ type: z.literal('typing'), typing: z.boolean() }),
  z.object({
    type: z.literal('message').optional(),
    text: text().trim().min(1, 'text must not be empty').max(8000),
    clientId: text().min(8).max(64).regex(/^[\w-]+$/).optional(),
  }),
]);
export type ChatSocketFrame = z.infer<typeof chatSocketFrame>;
