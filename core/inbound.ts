/**
 * What a channel adapter's `parse` makes of a provider webhook, and what the inbound queue stores
 * (`db/repos/channels-inbound.ts`) until the dispatcher hands it to a conversation.
 */
import type { NormalizedMessage } from './messages';

/** A file that came with an inbound message: a provider URL/id to download, or the bytes themselves. */
export type InboundAttachment =
  | { kind: 'remote'; ref: string; contentType?: string; name?: string }
  | { kind: 'inline'; data: Buffer; contentType: string; name?: string };

export type InboundEvent =
  | {
      kind: 'message';
      /** Provider's message id: processed once per channel (deduplicated in the database). */
      externalId: string;
      /** The contact's address on the channel: phone (E.164), PSID, email address, visitor id. */
      contactAddress: string;
      contactName?: string;
      /**
       * Which conversation this belongs to within the channel and contact. Defaults to the contact
       * address; email uses the thread's root Message-ID so each thread is its own conversation.
       */
      threadKey?: string;
      /**
       * Provider ids of earlier messages this one answers, most recent first (email's In-Reply-To,
       * then References): routing finds the conversation one of them was sent in when no
       * conversation has the thread key (a campaign email lives in the address's conversation).
       */
      repliesTo?: string[];
      /** Provider context to keep on the conversation and pass back to `send` (email subject, references). */
      thread?: Record<string, unknown>;
      message: Omit<NormalizedMessage, 'attachments'> & { attachments?: InboundAttachment[] };
      /** Non-text payloads kept on the stored message: location, button/list reply ids, postback payloads. */
      metadata?: Record<string, unknown>;
    }
  | {
      /**
       * A change to a message already stored (WhatsApp reactions, edits and deletions, Messenger
       * edits): applied to that message, never a turn of its own. `externalId` is the change's own id.
       */
      kind: 'amend';
      externalId: string;
      /** The provider id of the message it changes (the contact's, or one of our replies for a reaction). */
      targetExternalId: string;
      change: { type: 'reaction'; emoji: string } | { type: 'edit'; text: string } | { type: 'revoke' };
      at?: string;
    }
  | {
      /** Meta's review of a WhatsApp message template (`message_template_status_update`); `externalId` is the template's id. */
      kind: 'template';
      externalId: string;
      name: string;
      language: string;
      /** Meta's event: APPROVED, REJECTED, PAUSED, DISABLED, FLAGGED, REINSTATED, PENDING_DELETION… */
      event: string;
      reason?: string;
      at?: string;
    }
  | {
      kind: 'status';
      /** The provider id of one of our outbound messages. */
      externalId: string;
      status: 'sent' | 'delivered' | 'read' | 'failed';
      error?: string;
      at?: string;
    };

/** A file an inbound message names, still at the provider: its position in `metadata.attachments`. */
export interface PendingMedia {
  index: number;
  ref: string;
  contentType?: string;
  name?: string;
}

/** What became of one file: stored as a media asset, or failed with the reason. */
export type MediaOutcome =
  | { status: 'stored'; mediaAssetId: string; contentType: string; byteSize: number; name?: string; thumbnailAssetId?: string }
  | { status: 'failed'; error: string };

export interface FetchInboundMediaInput {
  tenantId: string;
  channelId: string;
  conversationId: string;
  messageExternalId: string;
  files: PendingMedia[];
  /** The download retry bound (CHANNEL_MEDIA_DOWNLOAD_ATTEMPTS / _RETRY_SECONDS), decided when the message came in. */
  maxAttempts: number;
  retrySeconds: number;
}
