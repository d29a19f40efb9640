/** The media store's interface (media/store.ts builds one from the config). */
import type { Readable } from 'node:stream';

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
