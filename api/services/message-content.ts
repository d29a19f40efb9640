/**
 * A stored message's metadata → the content parts of the API's message (core/api/message-content.ts).
 * The metadata is what adapters and the store wrote; only known parts, in their documented
 * shapes, leave (the response schema drops anything else). Stored files get a signed link.
 */
import type { MessageContentDto } from '../../core/api/message-content';
import { MESSAGE_KINDS, type MessageKind } from '../../core/message-content';
import type { Message } from '../../db/entities';
import { mediaUrlSignerFromConfig, tenantOfKey } from '../../media/store';
import type { AppDeps } from '../deps';
import { widgetFileUrl } from './widget-uploads';

/** Builds the signed download link of a stored file; `media` signs a media store key (media/store.ts). */
export type FileLink = ((asset: { id: string; name?: string | null }) => string) & { media?: (key: string) => string };

/**
 * Links through the signed file route (`/v1/widget/files/…`, which serves any stored attachment), on
 * PUBLIC_URL; media store objects through `/media/…` (or the CDN), signed for MEDIA_URL_TTL_SECONDS.
 */
export const fileLinks = (deps: Pick<AppDeps, 'secretKey' | 'config'>): FileLink => {
  const signer = mediaUrlSignerFromConfig(deps.config, { relative: true });
  return Object.assign((asset: { id: string; name?: string | null }) => widgetFileUrl(deps.secretKey, deps.config.PUBLIC_URL?.replace(/\/$/, '') ?? '', asset), {
    media: (key: string) => signer.url(key, deps.config.MEDIA_URL_TTL_SECONDS),
  });
};

const obj = (v: unknown): Record<string, any> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined);
const list = (v: unknown): any[] | undefined => (Array.isArray(v) ? v : undefined);

export function messageContentDto(m: Pick<Message, 'direction' | 'metadata' | 'status' | 'error' | 'channelId'> & { tenant?: string }, fileLink?: FileLink): MessageContentDto {
  const meta: Record<string, any> = m.metadata ?? {};
  const out: MessageContentDto = {};
  const kind = (typeof meta.kind === 'string' ? meta.kind : typeof meta.mediaType === 'string' ? meta.mediaType : undefined) as MessageKind | undefined;
  if (kind && (MESSAGE_KINDS as readonly string[]).includes(kind)) out.kind = kind;
  const files = list(meta.attachments);
  if (files?.length) out.attachments = files.map((a) => attachmentDto(a, fileLink));
  for (const key of ['location', 'order', 'reply', 'postback', 'referral', 'optin'] as const) if (obj(meta[key])) (out as any)[key] = meta[key];
  for (const key of ['contacts', 'links', 'reactions', 'history'] as const) if (list(meta[key])?.length) (out as any)[key] = meta[key];
  if (typeof meta.replyTo === 'string') out.replyTo = meta.replyTo;
  if (obj(meta.revoked)?.at) out.revokedAt = String(meta.revoked.at);
  if (typeof meta.subject === 'string' && typeof meta.messageId === 'string') {
    out.email = {
      subject: meta.subject,
      messageId: meta.messageId,
      ...(typeof meta.inReplyTo === 'string' ? { inReplyTo: meta.inReplyTo } : {}),
      ...(list(meta.references) ? { references: meta.references } : {}),
      ...(list(meta.to) ? { to: meta.to } : {}),
      ...(list(meta.cc) ? { cc: meta.cc } : {}),
    };
  }
  const media = obj(obj(meta.rich)?.media);
  if (media && typeof media.url === 'string' && typeof media.contentType === 'string') out.media = mediaDto(media, m.tenant, fileLink?.media);
  if (m.direction === 'out' && (m.status || m.channelId)) out.delivery = { status: (m.status ?? 'pending') as NonNullable<MessageContentDto['delivery']>['status'], error: m.error ?? null };
  return out;
}

/**
 * A reply's linked file: URLs signed afresh from the store keys (the ones sent have expired by now),
 * only for keys of the message's own tenant; otherwise the URLs as sent.
 */
function mediaDto(media: Record<string, any>, tenant: string | undefined, sign?: (key: string) => string): NonNullable<MessageContentDto['media']> {
  const own = (key: unknown): key is string => typeof key === 'string' && tenant !== undefined && tenantOfKey(key) === tenant;
  const link = (key: unknown, url: unknown) => (sign && own(key) ? sign(key) : typeof url === 'string' ? url : undefined);
  const posterUrl = link(media.posterKey, media.posterUrl);
  const hlsUrl = link(media.hlsKey, media.hlsUrl);
  return {
    url: link(media.key, media.url)!,
    contentType: media.contentType,
    ...(posterUrl ? { posterUrl } : {}),
    ...(hlsUrl ? { hlsUrl } : {}),
    ...(typeof media.caption === 'string' ? { caption: media.caption } : {}),
    ...(typeof media.name === 'string' ? { name: media.name } : {}),
  };
}

function attachmentDto(a: Record<string, any>, fileLink?: FileLink): NonNullable<MessageContentDto['attachments']>[number] {
  const id = typeof a.mediaAssetId === 'string' ? a.mediaAssetId : undefined;
  return {
    ...(id ? { id } : {}),
    ...(typeof a.name === 'string' ? { name: a.name } : {}),
    ...(typeof a.contentType === 'string' ? { contentType: a.contentType } : {}),
    ...(typeof a.byteSize === 'number' ? { size: a.byteSize } : {}),
    ...(id && fileLink ? { url: fileLink({ id, name: a.name }) } : {}),
    ...(typeof a.thumbnailAssetId === 'string' && fileLink ? { thumbnailUrl: fileLink({ id: a.thumbnailAssetId, name: 'thumbnail.jpg' }) } : {}),
    // Files stored before downloads ran in the background have no status: their id or error says it.
    status: a.status === 'pending' || a.status === 'stored' || a.status === 'failed' ? a.status : id ? 'stored' : 'failed',
    ...(typeof a.error === 'string' ? { error: a.error } : {}),
  };
}
