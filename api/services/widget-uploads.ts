/**
 * Files a widget visitor attaches: one multipart `file` of an allowed type (checked against the
 * bytes, not only the declared type) up to WIDGET_UPLOAD_MAX_BYTES, stored as a MediaAsset of the
 * visitor's conversation. The link that goes into the message is a capability URL: the asset id
 * plus an HMAC of it, so agents and the visitor can open it without an API key and nobody can
 * enumerate other files.
 */
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../core/constant-time';
import type { FastifyRequest } from 'fastify';
import { WIDGET_UPLOAD_MAX_BYTES, WIDGET_UPLOAD_TYPES } from '../../core/api/widget';
import { AppError } from '../../core/errors';
import { MediaAsset } from '../../db/entities';
import { tenantEm, type Orm } from '../../db/orm';
import type { VisitorTokenPayload } from './widget-sessions';
import { multipartError } from './multipart';

type UploadType = (typeof WIDGET_UPLOAD_TYPES)[number];

const startsWith = (bytes: Buffer, ascii: string, at = 0) => bytes.subarray(at, at + ascii.length).toString('latin1') === ascii;

/** Does the content look like the type the browser declared? A renamed executable is not an image. */
const CONTENT_MATCHES: Record<UploadType, (b: Buffer) => boolean> = {
  'image/png': (b) => startsWith(b, '\x89PNG\r\n\x1a\n'),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a'),
  'image/webp': (b) => startsWith(b, 'RIFF') && startsWith(b, 'WEBP', 8),
  'application/pdf': (b) => startsWith(b, '%PDF-'),
  'text/plain': (b) => !b.includes(0) && new TextDecoder('utf-8', { fatal: false }).decode(b).indexOf('\ufffd') === -1,
};

const megabytes = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
const tooLarge = () => new AppError('payload_too_large', `the file is larger than ${megabytes(WIDGET_UPLOAD_MAX_BYTES)}`, { field: 'file' });
const unsupported = (what: string) =>
  new AppError('unsupported_media_type', `${what}: attach an image (PNG, JPEG, GIF, WebP), a PDF or a plain-text file`, { field: 'file' });

export interface WidgetUpload {
  bytes: Buffer;
  name: string;
  contentType: UploadType;
}

/** Reads the one `file` part; the size limit stops the stream at the limit rather than buffering more. */
export async function readWidgetUpload(request: FastifyRequest): Promise<WidgetUpload> {
  const declaredLength = Number(request.headers['content-length'] ?? 0);
  // Multipart framing adds a few hundred bytes; anything far over the limit is refused unread.
  if (declaredLength > WIDGET_UPLOAD_MAX_BYTES + 64 * 1024) throw tooLarge();
  if (!request.isMultipart()) throw new AppError('bad_request', 'upload the file as multipart/form-data in a field named "file"', { field: 'file' });
  let upload: { bytes: Buffer; name: string; declared: string } | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: WIDGET_UPLOAD_MAX_BYTES, files: 1 } })) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file') throw new AppError('bad_request', `unexpected file field "${part.fieldname}": send it as "file"`, { field: part.fieldname });
      upload = { bytes: await part.toBuffer(), name: part.filename, declared: part.mimetype };
    }
  } catch (err) {
    throw multipartError(err, tooLarge);
  }
  if (!upload || upload.bytes.length === 0) throw new AppError('bad_request', 'file is required (a non-empty multipart field named "file")', { field: 'file' });
  const declared = upload.declared.split(';')[0].trim().toLowerCase() as UploadType;
  if (!(WIDGET_UPLOAD_TYPES as readonly string[]).includes(declared)) throw unsupported(`files of type ${upload.declared || 'unknown'} cannot be attached`);
  if (!CONTENT_MATCHES[declared](upload.bytes)) throw unsupported(`the file's content is not ${declared}`);
  const name = (upload.name || 'attachment').replace(/[\\/\x00-\x1f]/g, '_').slice(0, 200);
  return { bytes: upload.bytes, name, contentType: declared };
}

export async function storeWidgetUpload(orm: Orm, session: VisitorTokenPayload, upload: WidgetUpload): Promise<MediaAsset> {
  const em = tenantEm(orm, session.tenantId);
  const asset = em.create(MediaAsset, {
    tenant: session.tenantId,
    channelId: session.channelId,
    conversationId: session.conversationId,
    ref: `widget:${session.visitorId}`,
    contentType: upload.contentType,
    name: upload.name,
    byteSize: upload.bytes.length,
    sha256: createHash('sha256').update(upload.bytes).digest('hex'),
    content: upload.bytes,
  });
  await em.flush();
  return asset;
}

const fileSignature = (secret: Buffer, assetId: string) => createHmac('sha256', secret).update(`widget-file:${assetId}`).digest('base64url');

/** The attachment link a message carries. */
export function widgetFileUrl(secret: Buffer, baseUrl: string, asset: { id: string; name?: string | null }): string {
  const name = encodeURIComponent(asset.name ?? 'attachment');
  return `${baseUrl}/v1/widget/files/${asset.id}/${name}?sig=${fileSignature(secret, asset.id)}`;
}

export function verifyFileSignature(secret: Buffer, assetId: string, sig: string): void {
  if (!constantTimeEqual(sig, fileSignature(secret, assetId))) throw new AppError('forbidden', 'invalid file link', { field: 'sig' });
}

/** The asset's bytes for a signed link; the asset row names its tenant, the signature proves the link was ours. */
export async function loadWidgetFile(orm: Orm, assetId: string): Promise<MediaAsset> {
  const row = await orm.em.fork().findOne(MediaAsset, { id: assetId }, { filters: { tenant: false }, populate: ['content'] });
  if (!row) throw new AppError('not_found', 'file not found', { field: 'id' });
  return row;
}
