/**
 * The contract every channel adapter implements. Inbound: the API's webhook route hands the raw
 * request to `verify` (signatures), then `parse` (provider payload → normalized events). Outbound:
 * the `sendChannelMessage` activity calls `send` with a deterministic idempotency key. Adapters are
 * pure wire-format code plus HTTP/SMTP calls: they never touch the database or Temporal.
 */
import type { z } from 'zod';
import type { ChannelType } from '../core/channels';
import type { Config } from '../core/config';
import type { InboundAttachment, InboundEvent } from '../core/inbound';
import type { RichContent } from '../core/messages';

/** The channels that have an adapter (the `adapter` rows of `core/channels.ts`), and what `parse` returns. */
export type { ChannelType, InboundAttachment, InboundEvent };

/** What adapter factories are given: the configuration (provider base URLs) and `fetch`. */
export interface AdapterEnv {
  config: Config;
  fetch: typeof fetch;
}

/** The largest attachment a download keeps (CHANNEL_MEDIA_MAX_BYTES). */
export interface MediaLimits {
  maxBytes: number;
}

/** A configured channel as an adapter sees it: credentials already decrypted. */
export interface ChannelConfig<Credentials = Record<string, unknown>, Settings = Record<string, unknown>> {
  id: string;
  tenantId: string;
  type: ChannelType;
  name: string;
  credentials: Credentials;
  settings: Settings;
  /**
   * The public URL providers call for this channel (`{PUBLIC_URL}/v1/webhooks/{type}/{id}`); Twilio
   * signs it, so it must be the URL exactly as the provider was told it.
   */
  webhookUrl: string;
}

/** An inbound HTTP request, exactly as received: signatures are computed over these bytes. */
export interface InboundRequest {
  method: 'GET' | 'POST';
  /** Full external URL including the query string. */
  url: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

/** What the flow wants to send; adapters map it to the provider's message types. */
export interface OutboundSend extends RichContent {
  text: string;
}

export interface SendContext {
  /** Deterministic per outbound message: the provider's idempotency key where it has one (email: the Message-ID). */
  idempotencyKey: string;
  contactAddress: string;
  /** The conversation's accumulated `thread` context (see InboundEvent). */
  thread: Record<string, unknown>;
  /** When the contact last wrote (WhatsApp's 24-hour window). */
  lastInboundAt: string | null;
  /**
   * Set on a retried send: when the first attempt was scheduled. A provider without idempotency
   * keys may have accepted an earlier attempt whose answer was lost; its adapter can look for that
   * message (created since then) instead of sending again, and return it as `recovered`.
   */
  retryingSince?: string;
}

export interface SendResult {
  providerMessageId: string;
  /** Context to merge into the conversation's thread (email: our Message-ID joins References). */
  thread?: Record<string, unknown>;
  /** The message was found, created by an earlier attempt, rather than sent now. */
  recovered?: boolean;
}

/**
 * A provider refused or failed a send. `retryable` errors (429, 5xx, network) are retried by the
 * activity with backoff, waiting at least `retryAfterMs` when the provider said so; permanent ones
 * (invalid number, blocked, outside the window) mark the message failed without retrying.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly opts: { status?: number; retryAfterMs?: number; code?: string } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Parts of a webhook that could not be understood; the rest is recorded and the delivery acknowledged. */
export interface RejectedPart {
  /** Where in the payload, e.g. `entry.1.messaging.0.sender`. */
  path: string;
  reason: string;
}

/** What `parse` returns when it recorded part of a batch: the events, and what it left out. */
export interface ParsedWebhook {
  events: InboundEvent[];
  rejected: RejectedPart[];
}

/** A signed single-use token (Mailgun's `token`): the webhook route refuses a second delivery carrying it. */
export interface VerifiedDelivery {
  onceToken: string;
  /** How long to remember it: past the signature's freshness window. */
  ttlSeconds: number;
  /** The request field named when a replay is refused. */
  field: string;
}

export interface WebhookAck {
  status: number;
  contentType: string;
  body: string;
}

export interface ChannelAdapter<Credentials = Record<string, unknown>, Settings = Record<string, unknown>> {
  type: ChannelType;
  /** Validated when a channel is created or updated; stored encrypted, never returned by the API. */
  credentialsSchema: z.ZodType<Credentials>;
  /** Non-secret configuration, returned by the API (brand colour, sender address, rate limit…). */
  settingsSchema: z.ZodType<Settings>;
  /**
   * Settings or credential fields that name the provider's API base URL. The API accepts only
   * https URLs on `domain` or its subdomains there, plus origins the deployment allows
   * (CHANNEL_PROVIDER_URLS_ALLOWED): the server calls that URL with the credentials.
   */
  providerUrls?: { fields: string[]; domain: string };
  /** Settings that name a host the server connects to (SMTP): refused at save when the address policy refuses them. */
  hostFields?: string[];
  /** GET verification handshakes (Meta's hub.challenge): the body to answer, or an AppError thrown. */
  handshake?(request: InboundRequest, channel: ChannelConfig<Credentials, Settings>): string;
  /**
   * Throws AppError('unauthorized' | 'forbidden') when the request is not the provider's. May be
   * async (a signature inside a form body); may return a token the provider uses only once.
   */
  verify(request: InboundRequest, channel: ChannelConfig<Credentials, Settings>): void | VerifiedDelivery | Promise<void | VerifiedDelivery>;
  /**
   * Throws (or rejects with) AppError('bad_request', reason, { field }) on a malformed payload.
   * May be async: MIME parsing (email) has no synchronous parser, so callers always `await` it.
   * Providers that batch events (Meta) return a ParsedWebhook: one bad entry must not refuse the
   * others, so what parses is recorded and what does not is logged.
   */
  parse(request: InboundRequest, channel: ChannelConfig<Credentials, Settings>): InboundEvent[] | ParsedWebhook | Promise<InboundEvent[] | ParsedWebhook>;
  /** What the provider expects back (Twilio: empty TwiML); default `200 {"ok":true}`. */
  ack?: WebhookAck;
  /**
   * Downloads a `remote` attachment (WhatsApp media ids resolve through the Graph API first); a file
   * past `limits.maxBytes` is a permanent ProviderError (channels/media.ts `readCapped`).
   */
  fetchMedia?(channel: ChannelConfig<Credentials, Settings>, ref: string, limits: MediaLimits): Promise<{ data: Buffer; contentType: string; name?: string }>;
  send(channel: ChannelConfig<Credentials, Settings>, message: OutboundSend, context: SendContext): Promise<SendResult>;
  /** Calls a cheap authenticated endpoint of the provider (or the SMTP handshake). */
  testConnection(channel: ChannelConfig<Credentials, Settings>): Promise<{ ok: boolean; detail: string }>;
}
