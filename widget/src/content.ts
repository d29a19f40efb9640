/**
 * What a message carries beyond its text, drawn from the API's message (core/api/message-content.ts):
 * files (a thumbnail linking to the whole file, an audio player, a file link; "Downloading…" while
 * the provider's file is being fetched, or why it failed), a location with a map link, contact
 * cards, and a reply's delivery mark. Built with DOM calls only: nothing from a message is parsed as HTML.
 */
import type { MessageContentDto } from '../../core/api/message-content';
import type { Strings } from './i18n';

type Attachment = NonNullable<MessageContentDto['attachments']>[number];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A link of the message as an absolute http(s) URL: a relative one (the API without PUBLIC_URL)
 * is on the API's origin, not the embedding page's; any other scheme (`javascript:`) is dropped.
 */
function safeUrl(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    const absolute = new URL(url, base);
    return /^https?:$/.test(absolute.protocol) ? absolute.href : undefined;
  } catch {
    return undefined;
  }
}
const mapLink = (lat: number, lon: number) => `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;

/** True when the text only spells out what the parts show ("[image]", a location's coordinates, a contact card). */
export function textIsReadableForm(m: MessageContentDto & { text: string }): boolean {
  if (m.kind === 'location' || m.kind === 'contacts') return true;
  return Boolean(m.attachments?.length) && /^\[[\w :.,-]+\]$/.test(m.text);
}

function attachment(file: Attachment, t: Strings, base: string): HTMLElement {
  const label = file.name ?? file.contentType ?? 'file';
  if (file.status === 'pending') return el('div', { class: 'file pending', 'data-status': 'pending' }, `${t.downloading} ${label}`);
  const url = safeUrl(file.url, base);
  if (!url) return el('div', { class: 'file failed', 'data-status': 'failed' }, `${label}: ${t.fileFailed}${file.error ? ` (${file.error})` : ''}`);
  const type = file.contentType ?? '';
  const thumb = safeUrl(file.thumbnailUrl, base);
  if (type.startsWith('image/') || (type.startsWith('video/') && thumb)) {
    const link = el('a', { class: `file preview${type.startsWith('video/') ? ' video' : ''}`, href: url, target: '_blank', rel: 'noopener noreferrer', 'data-status': 'stored' });
    link.append(el('img', { src: thumb ?? url, alt: label, loading: 'lazy' }));
    return link;
  }
  if (type.startsWith('video/')) return el('video', { class: 'file', src: url, controls: '', preload: 'metadata', 'aria-label': label });
  if (type.startsWith('audio/')) return el('audio', { class: 'file', src: url, controls: '', preload: 'metadata', 'aria-label': label });
  return el('a', { class: 'file', href: url, target: '_blank', rel: 'noopener noreferrer', download: file.name ?? '' }, `📎 ${label}`);
}

type Media = NonNullable<MessageContentDto['media']>;

/**
 * A file a reply sends by link. A video is an inline player showing its poster, loading nothing
 * until played; with an HLS playlist first (Safari and iOS stream it natively), the MP4 after it
 * for every other browser.
 */
function linkedMedia(media: Media, t: Strings, base: string): HTMLElement | null {
  const url = safeUrl(media.url, base);
  if (!url) return null;
  const label = media.caption ?? media.name ?? media.contentType;
  if (media.contentType.startsWith('video/')) {
    const poster = safeUrl(media.posterUrl, base);
    const player = el('video', { class: 'file player', controls: '', playsinline: '', preload: poster ? 'none' : 'metadata', 'aria-label': label, ...(poster ? { poster } : {}) });
    const hls = safeUrl(media.hlsUrl, base);
    if (hls) player.append(el('source', { src: hls, type: 'application/vnd.apple.mpegurl' }));
    player.append(el('source', { src: url, type: media.contentType }));
    // Shown only by browsers that play no video at all.
    player.append(el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, `▶ ${t.openVideo}`));
    return player;
  }
  if (media.contentType.startsWith('image/')) {
    const link = el('a', { class: 'file preview', href: url, target: '_blank', rel: 'noopener noreferrer' });
    link.append(el('img', { src: url, alt: label, loading: 'lazy' }));
    return link;
  }
  if (media.contentType.startsWith('audio/')) return el('audio', { class: 'file', src: url, controls: '', preload: 'metadata', 'aria-label': label });
  return el('a', { class: 'file', href: url, target: '_blank', rel: 'noopener noreferrer' }, `📎 ${media.name ?? label}`);
}

/** The parts of a message, in the order the inbox shows them; `base` is the API's origin. */
export function contentParts(m: MessageContentDto, t: Strings, base: string): HTMLElement[] {
  const parts: HTMLElement[] = (m.attachments ?? []).map((file) => attachment(file, t, base));
  const media = m.media ? linkedMedia(m.media, t, base) : null;
  if (media) parts.push(media);
  if (m.location) {
    const { latitude, longitude, name } = m.location;
    const href = safeUrl(m.location.url, base) ?? mapLink(latitude, longitude);
    parts.push(el('a', { class: 'card location', href, target: '_blank', rel: 'noopener noreferrer' }, `📍 ${name ?? `${latitude}, ${longitude}`} · ${t.openMap}`));
  }
  for (const c of m.contacts ?? []) {
    const card = el('div', { class: 'card contact-card' });
    card.append(el('strong', {}, c.name), ...[c.organization, ...c.phones, ...c.emails].filter(Boolean).map((v) => el('div', {}, v!)));
    parts.push(card);
  }
  return parts;
}

/** ✓ sent, ✓✓ delivered or read, "failed" with the provider's reason on hover. */
export function deliveryMark(delivery: MessageContentDto['delivery'], t: Strings): HTMLElement | null {
  if (!delivery || delivery.status === 'pending') return null;
  const label = t.delivery[delivery.status];
  const title = delivery.error ? `${label}: ${delivery.error}` : label;
  const mark = delivery.status === 'sent' ? '✓' : delivery.status === 'failed' ? `✗ ${label}` : '✓✓';
  return el('span', { class: `delivery ${delivery.status}`, 'data-delivery': delivery.status, title, 'aria-label': title }, mark);
}
