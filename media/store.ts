/**
 * The media store: where rendered videos, speech and avatars live, and the URLs they are fetched
 * from. Two backends behind one interface: files on local disk (the default, nothing to run) and
 * any S3-compatible service (AWS, MinIO, R2, Ceph) for deployments with several API machines.
 * Keys are tenant-scoped paths, `t/{tenantId}/…`.
 */
import { hkdfSync } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { publicUrl, type Config } from '../core/config';
import { LocalMediaStore } from './local-store';
import { S3MediaStore } from './s3-store';
import { MediaUrlSigner } from './signed-url';

export interface StoredObject { key: string; byteSize: number; sha256: string; contentType: string }

/** An inclusive byte range, as HTTP's `Range: bytes=start-end` names it. */
export interface ByteRange { start: number; end: number }

export interface MediaStore {
  put(key: string, body: Buffer | NodeJS.ReadableStream, contentType: string): Promise<StoredObject>;
  /** Local copy for ffmpeg; the caller deletes `path` when done. */
  download(key: string, path: string): Promise<void>;
  head(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /** A URL a browser or a provider can fetch (GET, range requests) until it expires. */
  signedUrl(key: string, ttlSeconds: number): Promise<string>;
  /** The object's bytes (all, or one range) for the API's media route; null when there is no such object. */
  read(key: string, range?: ByteRange): Promise<{ object: StoredObject; body: Readable } | null>;
  readonly backend: 'local' | 's3';
}

/** `t/{tenant}/…`: letters, digits, `-_.` in each part, no empty or dot-only parts (no traversal). */
const KEY_PATTERN = /^t\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;
export const MAX_KEY_LENGTH = 512;

export function isValidMediaKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && KEY_PATTERN.test(key) && !key.split('/').some((p) => p === '.' || p === '..');
}

export function assertMediaKey(key: string): void {
  if (!isValidMediaKey(key)) throw new Error(`invalid media key ${JSON.stringify(key.slice(0, 80))}: keys look like t/{tenantId}/path/file.ext`);
}

/** The tenant a key belongs to. */
export const tenantOfKey = (key: string): string | null => (isValidMediaKey(key) ? key.split('/')[1] : null);

/** Secret for media URL signatures, derived from the platform key so it needs no setting of its own. */
export function mediaUrlKey(platformSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(platformSecret, 'utf8'), Buffer.alloc(0), 'switchboard media url v1', 32));
}

export const mediaDir = (config: Pick<Config, 'MEDIA_DIR' | 'DATA_DIR'>) => resolve(config.MEDIA_DIR ?? join(config.DATA_DIR, 'media'));

/** The signer of URLs the API serves at `/media/…` (or the CDN in front of it). */
export function mediaUrlSignerFromConfig(config: Config): MediaUrlSigner {
  const base = config.MEDIA_CDN_BASE_URL ?? `${publicUrl(config).replace(/\/+$/, '')}/media`;
  return new MediaUrlSigner(base, () => {
    if (!config.SWITCHBOARD_SECRET_KEY) throw new Error('SWITCHBOARD_SECRET_KEY is not set: media URLs cannot be signed');
    return mediaUrlKey(config.SWITCHBOARD_SECRET_KEY);
  });
}

export function mediaStoreFromConfig(config: Config): MediaStore {
  const signer = mediaUrlSignerFromConfig(config);
  if (config.MEDIA_STORE === 's3') {
    if (!config.S3_BUCKET) throw new Error('MEDIA_STORE=s3 needs S3_BUCKET');
    return new S3MediaStore({
      endpoint: config.S3_ENDPOINT,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      credentials: config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } : undefined,
      // A CDN in front of the bucket serves the objects; otherwise the bucket's own presigned URLs, or the API.
      urls: config.MEDIA_CDN_BASE_URL ? 'signer' : config.S3_PRESIGNED_URLS ? 'presigned' : 'signer',
      signer,
    });
  }
  return new LocalMediaStore(mediaDir(config), signer);
}
