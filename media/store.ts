/**
 * The media store: where rendered videos, speech and avatars live, and the URLs they are fetched
 * from. Two backends behind one interface: files on local disk (the default, nothing to run) and
 * any S3-compatible service (AWS, MinIO, R2, Ceph) for deployments with several API machines.
 * Keys are tenant-scoped paths, `t/{tenantId}/…`.
 */
import { hkdfSync } from 'node:crypto';
import { join, resolve } from 'node:path';
import { publicUrl, type Config } from '../core/config';
import { LocalMediaStore } from './local-store';
import { S3MediaStore } from './s3-store';
import { MediaUrlSigner } from './signed-url';
import type { MediaStore } from './types';

export type { ByteRange, MediaStore, StoredObject } from './types';
export { assertMediaKey, isValidMediaKey, MAX_KEY_LENGTH, tenantOfKey } from './keys';

/** Secret for media URL signatures, derived from the platform key so it needs no setting of its own. */
export function mediaUrlKey(platformSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(platformSecret, 'utf8'), Buffer.alloc(0), 'switchboard media url v1', 32));
}

export const mediaDir = (config: Pick<Config, 'MEDIA_DIR' | 'DATA_DIR'>) => resolve(config.MEDIA_DIR ?? join(config.DATA_DIR, 'media'));

/**
 * The signer of URLs the API serves at `/media/…` (or the CDN in front of it). `relative`: without
 * PUBLIC_URL the URLs are paths (`/media/…`), which the console and the widget resolve against the
 * API they talk to, instead of the guessed `http://localhost:PORT` that providers would be given.
 */
export function mediaUrlSignerFromConfig(config: Config, opts: { relative?: boolean } = {}): MediaUrlSigner {
  const origin = opts.relative && !config.PUBLIC_URL ? '' : publicUrl(config).replace(/\/+$/, '');
  const base = config.MEDIA_CDN_BASE_URL ?? `${origin}/media`;
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
