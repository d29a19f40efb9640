/**
 * Small wire-format helpers shared by adapters whose channels have no native buttons or lists
 * (SMS, email) and by every adapter that reads headers off an `InboundRequest`.
 */
import type { InboundRequest, OutboundSend } from './types';

/** A request header by name, whatever case the server stored it in. */
export function headerOf(request: InboundRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The request's media type without parameters, lower-cased (`application/x-www-form-urlencoded`). */
export function mediaTypeOf(request: InboundRequest): string {
  return (headerOf(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The message as plain text: the text, then buttons/list options numbered so the contact can
 * answer with the number or the title, then a link to any media the channel cannot attach.
 */
export function plainTextOf(message: OutboundSend, opts: { mediaAsLink: boolean }): string {
  const parts: string[] = [];
  const text = message.text.trim() || message.media?.caption?.trim() || '';
  if (text) parts.push(text);
  const options = message.interactive?.options ?? [];
  if (options.length > 0) parts.push(options.map((o, i) => `${i + 1}. ${o.title}`).join('\n'));
  if (opts.mediaAsLink && message.media) parts.push(`${message.media.name ?? (isVideo(message.media) ? 'Video' : 'Attachment')}: ${message.media.url}`);
  return parts.join('\n\n');
}

/** A video sent by link (`rich.media` with a `video/…` type). */
export const isVideo = (media: { contentType: string }) => /^video\//i.test(media.contentType);
