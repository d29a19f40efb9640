/**
 * The S3-compatible media store (`@aws-sdk/client-s3`): AWS S3, MinIO, Cloudflare R2, Ceph… with a
 * configurable endpoint and path-style addressing. The digest travels as object metadata
 * (`x-amz-meta-sha256`). URLs are the bucket's own presigned GETs, or, when the bucket is private
 * to the API, URLs the API signs and serves at `/media/…` by streaming from the bucket.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import { isPlaylistKey } from './playlist';
import type { MediaUrlSigner } from './signed-url';
import { assertMediaKey } from './keys';
import type { ByteRange, MediaStore, StoredObject } from './types';

/**
 * The AWS SDK (~40 MB with its dependencies) is required when an S3 store is made, so a process
 * that keeps media on disk (the default) never loads it.
 */
type S3Sdk = typeof import('@aws-sdk/client-s3');
type AwsSdk = { s3: S3Sdk; presigner: typeof import('@aws-sdk/s3-request-presigner') };
let sdk: AwsSdk | undefined;
const awsSdk = (): AwsSdk => (sdk ??= { s3: createRequire(import.meta.url)('@aws-sdk/client-s3'), presigner: createRequire(import.meta.url)('@aws-sdk/s3-request-presigner') });

export interface S3StoreOptions {
  endpoint?: string;
  bucket: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `presigned`: S3 presigned GET URLs; `signer`: the API's (or the CDN's) signed URLs. */
  urls: 'presigned' | 'signer';
  signer: MediaUrlSigner;
}

export class S3MediaStore implements MediaStore {
  readonly backend = 's3' as const;
  readonly client: InstanceType<S3Sdk['S3Client']>;

  constructor(private readonly opts: S3StoreOptions) {
    const { S3Client } = awsSdk().s3;
    this.client = new S3Client({
      endpoint: opts.endpoint,
      region: opts.region,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.credentials,
      // Checksums only where S3 requires them: several S3-compatible services reject the newer trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Buffer | NodeJS.ReadableStream, contentType: string): Promise<StoredObject> {
    assertMediaKey(key);
    if (Buffer.isBuffer(body)) return this.putBuffer(key, body, contentType);
    // S3 wants the length (and the digest goes in the metadata) before the bytes: spool to a private temp file.
    const dir = await mkdtemp(join(tmpdir(), 'media-put-'));
    try {
      const file = join(dir, randomBytes(6).toString('hex'));
      const hash = createHash('sha256');
      let byteSize = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          byteSize += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(body as Readable, count, createWriteStream(file, { mode: 0o600 }));
      const sha256 = hash.digest('hex');
      await this.client.send(new (awsSdk().s3.PutObjectCommand)({ Bucket: this.opts.bucket, Key: key, Body: createReadStream(file), ContentLength: byteSize, ContentType: contentType, Metadata: { sha256 } }));
      return { key, byteSize, sha256, contentType };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async putBuffer(key: string, body: Buffer, contentType: string): Promise<StoredObject> {
    const sha256 = createHash('sha256').update(body).digest('hex');
    await this.client.send(new (awsSdk().s3.PutObjectCommand)({ Bucket: this.opts.bucket, Key: key, Body: body, ContentLength: body.length, ContentType: contentType, Metadata: { sha256 } }));
    return { key, byteSize: body.length, sha256, contentType };
  }

  async download(key: string, path: string): Promise<void> {
    const got = await this.read(key);
    if (!got) throw new Error(`media object ${key} does not exist`);
    await pipeline(got.body, createWriteStream(path, { mode: 0o600 }));
  }

  async head(key: string): Promise<StoredObject | null> {
    assertMediaKey(key);
    try {
      const res = await this.client.send(new (awsSdk().s3.HeadObjectCommand)({ Bucket: this.opts.bucket, Key: key }));
      return { key, byteSize: res.ContentLength ?? 0, sha256: res.Metadata?.sha256 ?? '', contentType: res.ContentType ?? 'application/octet-stream' };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertMediaKey(key);
    await this.client.send(new (awsSdk().s3.DeleteObjectCommand)({ Bucket: this.opts.bucket, Key: key }));
  }

  async signedUrl(key: string, ttlSeconds: number): Promise<string> {
    assertMediaKey(key);
    // A playlist names its segments relatively, and a bucket cannot sign them: the API serves playlists (media/playlist.ts).
    if (this.opts.urls === 'signer' || isPlaylistKey(key)) return this.opts.signer.url(key, ttlSeconds);
    return awsSdk().presigner.getSignedUrl(this.client, new (awsSdk().s3.GetObjectCommand)({ Bucket: this.opts.bucket, Key: key }), { expiresIn: Math.max(1, Math.floor(ttlSeconds)) });
  }

  async read(key: string, range?: ByteRange) {
    const object = await this.head(key);
    if (!object) return null;
    try {
      const res = await this.client.send(new (awsSdk().s3.GetObjectCommand)({ Bucket: this.opts.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      return { object, body: res.Body as Readable };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}

const isNotFound = (err: unknown) => {
  const { S3ServiceException } = awsSdk().s3;
  return err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');
};
