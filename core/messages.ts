import { z } from 'zod';
import { CHANNELS, type Channel } from './channels';

/** Channels a conversation can run on (the table in `core/channels.ts`). */
export { CHANNELS, type Channel };
export const channelSchema = z.enum(CHANNELS);

/** Who wrote a message. */
export type Author = 'contact' | 'bot' | 'agent' | 'system';

/** What every channel adapter turns an inbound provider payload into (DESIGN.md §3). */
export interface NormalizedMessage {
  /** Provider's own id when there is one: dedup key for retried webhooks. */
  externalId?: string;
  channel: Channel;
  text: string;
  /** ISO time the provider says it was sent. */
  sentAt?: string;
  contact?: { externalId?: string; name?: string; email?: string; phone?: string };
  attachments?: { url: string; contentType?: string; name?: string }[];
}

/** Token accounting for one or more LLM calls. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  model?: string;
}

/** A message the bot (or an agent) sends, as the workflow produces it. */
export interface OutboundMessage {
  /** Deterministic key (workflow id + node + turn + seq): a retried send never sends twice. */
  key: string;
  text: string;
  author: Exclude<Author, 'contact'>;
  nodeId?: string;
  /** e.g. `llm`, `offline-responder`, `template`, `agent`. */
  source?: string;
  /** The agent who wrote it (author `agent`), as the contact sees it named. */
  agentName?: string;
  usage?: TokenUsage;
  /** Knowledge passages (`documentId` the document's) or, in the marketing assistant, tool results (`documentId` `tool:<name>`). */
  citations?: { document: string; documentId?: string; section?: string; page?: number }[];
  /** Template, media or options for channels that render them; `text` stays the readable fallback. */
  rich?: RichContent;
}

/** What a message carries beyond its text (the adapters' `OutboundSend` without `text`). */
export interface RichContent {
  /** WhatsApp template (required outside the 24-hour window). */
  template?: { name: string; language: string; parameters: string[] };
  /**
   * A file by link. For a video (`video/mp4`): `posterUrl` is its still (email shows it linking to the
   * video, players show it before playing), `hlsUrl` an HLS playlist for players that stream it,
   * `byteSize` lets a channel with a size limit (MMS) link instead of attaching, and `key` /
   * `posterKey` / `hlsKey` name the media store objects so a transcript shown later signs fresh URLs.
   */
  media?: { url: string; contentType: string; caption?: string; name?: string; posterUrl?: string; hlsUrl?: string; byteSize?: number; key?: string; posterKey?: string; hlsKey?: string };
  /** Buttons (≤ 3) or a list: native where the channel has them, numbered text elsewhere. */
  interactive?: {
    type: 'buttons' | 'list';
    options: { id: string; title: string }[];
    button?: string;
    /** How the web-chat widget draws the options (a CSAT rating); other channels ignore it. */
    style?: 'stars' | 'thumbs';
  };
  /** Email only: a composed message (campaigns) — its own subject, inbox preview line, HTML part and extra headers (List-Unsubscribe…); the text part is the message's text. */
  email?: { subject: string; preheader?: string; html: string; headers?: Record<string, string> };
  /** Messenger only: the message tag that allows a message outside the 24-hour window. */
  tag?: string;
}

/** A reply returned to a synchronous turn (REST / WebSocket): the stored message. */
export interface Reply extends OutboundMessage {
  id: string;
  createdAt: string;
}
