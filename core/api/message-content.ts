/**
 * What a stored message carries beyond its text, as the API returns it (`messageSchema` extends
 * it): the kind, files with their download links, a location, contact cards, an order, the
 * button or row tapped, the ad or link the contact came from, reactions, edits and deletion, the
 * email's subject and threading, and for replies on provider channels their delivery status.
 * Every part is optional: a plain text message has none.
 */
import { z } from 'zod';
import { MESSAGE_KINDS } from '../message-content';

const str = z.string().optional();

export const attachmentSchema = z.object({
  /** The stored file (absent when it could not be downloaded: see `error`). */
  id: str,
  name: str,
  contentType: str,
  size: z.number().int().optional(),
  /** A signed link that downloads the file without an API key. */
  url: str,
  /** A signed link to a JPEG preview (≤320 px) of a stored image or video; absent when none could be made. */
  thumbnailUrl: str,
  /** pending while the file is being downloaded from the provider (in the background), then stored or failed. */
  status: z.enum(['pending', 'stored', 'failed']).optional(),
  /** Why the file is not stored (too large, refused by the provider, the host unreachable through every attempt). */
  error: str,
});

export const messageContentShape = {
  kind: z.enum(MESSAGE_KINDS).optional(),
  attachments: z.array(attachmentSchema).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: str, address: str, url: str }).optional(),
  contacts: z.array(z.object({ name: z.string(), phones: z.array(z.string()), emails: z.array(z.string()), organization: str })).optional(),
  order: z
    .object({ catalogId: str, note: str, items: z.array(z.object({ productId: z.string(), quantity: z.number(), price: z.number().optional(), currency: str })) })
    .optional(),
  /** The button, list row or quick reply the contact tapped. */
  reply: z.object({ type: z.string(), id: z.string(), title: z.string() }).optional(),
  postback: z.object({ payload: z.string(), title: z.string() }).optional(),
  referral: z.object({ source: str, sourceType: str, sourceId: str, sourceUrl: str, headline: str, body: str, ref: str, clickId: str }).optional(),
  optin: z.object({ ref: str, userRef: str, type: str }).optional(),
  links: z.array(z.object({ url: z.string(), title: str })).optional(),
  /** The provider id of the message this one answers (WhatsApp context, Messenger reply_to). */
  replyTo: str,
  reactions: z.array(z.object({ emoji: z.string(), at: z.string() })).optional(),
  /** Former texts, oldest first: each edit, and the deletion, keeps what the text was. */
  history: z.array(z.object({ type: z.enum(['edit', 'revoke']), text: z.string(), at: z.string() })).optional(),
  revokedAt: str,
  email: z.object({ subject: z.string(), messageId: str, inReplyTo: str, references: z.array(z.string()).optional(), to: z.array(z.string()).optional(), cc: z.array(z.string()).optional() }).optional(),
  /** Replies on provider channels: pending until the provider takes it, then sent, delivered, read or failed with the provider's reason. */
  delivery: z.object({ status: z.enum(['pending', 'sent', 'delivered', 'read', 'failed']), error: z.string().nullable() }).optional(),
  /** A file a reply sends by link (a rendered video): its URL, type, poster still and HLS playlist, signed when shown. */
  media: z.object({ url: z.string(), contentType: z.string(), posterUrl: str, hlsUrl: str, caption: str, name: str }).optional(),
};

export const messageContentSchema = z.object(messageContentShape);
export type MessageContentDto = z.infer<typeof messageContentSchema>;
