/** Media stores for tests: a local one in a temporary directory, and one on a local S3 server. */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../core/config';
import { mediaStoreFromConfig } from '../../media/store';
import type { FakeS3 } from '../fakes/s3-server';

export async function localMediaConfig(env: Record<string, string> = {}): Promise<Config> {
  const dir = await mkdtemp(join(tmpdir(), 'media-store-'));
  return loadConfig({ SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('hex'), PUBLIC_URL: 'http://media.test', MEDIA_DIR: dir, ...env });
}

export const s3MediaEnv = (s3: FakeS3, presigned: boolean): Record<string, string> => ({
  MEDIA_STORE: 's3',
  S3_ENDPOINT: s3.endpoint,
  S3_BUCKET: s3.bucket,
  S3_FORCE_PATH_STYLE: 'true',
  S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
  S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  S3_PRESIGNED_URLS: String(presigned),
});

export const storeOf = (config: Config) => mediaStoreFromConfig(config);
