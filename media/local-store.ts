/**
 * The local-disk media store: objects under `{dir}/objects/{key}`, their content type and digest in
 * `{dir}/meta/{key}.json`. Directories are 0700 and files 0600 like the rest of the embedded data
 * (db/data-dir.ts). A put writes a temporary file and renames it, so a reader never sees half an object.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MediaUrlSigner } from './signed-url';
import { assertMediaKey } from './keys';
import type { ByteRange, MediaStore, StoredObject } from './types';

export class LocalMediaStore implements MediaStore {
  readonly backend = 'local' as const;

  constructor(
    readonly dir: string,
    private readonly signer: MediaUrlSigner,
  ) {}

  private objectPath(key: string) {
    assertMediaKey(key);
    return join(this.dir, 'objects', key);
  }

  private metaPath(key: string) {
    return join(this.dir, 'meta', `${key}.json`);
  }

  async put(key: string, body: Buffer | NodeJS.ReadableStream, contentType: string): Promise<StoredObject> {
    const path = this.objectPath(key);
    await mkdirPrivate(dirname(path));
    await mkdirPrivate(dirname(this.metaPath(key)));
    const part = `${path}.${randomBytes(6).toString('hex')}.part`;
    const hash = createHash('sha256');
    let byteSize = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        byteSize += chunk.length;
        done(null, chunk);
      },
    });
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : (body as Readable);
      await pipeline(source, count, createWriteStream(part, { mode: 0o600 }));
      const object: StoredObject = { key, byteSize, sha256: hash.digest('hex'), contentType };
      await writePrivate(this.metaPath(key), JSON.stringify(object));
      await rename(part, path);
      return object;
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  }

  async download(key: string, path: string): Promise<void> {
    if (!(await this.head(key))) throw new Error(`media object ${key} does not exist`);
    await copyFile(this.objectPath(key), path);
  }

  async head(key: string): Promise<StoredObject | null> {
    const path = this.objectPath(key);
    try {
      const [meta, st] = await Promise.all([readFile(this.metaPath(key), 'utf8'), stat(path)]);
      const object = JSON.parse(meta) as StoredObject;
      return { key, byteSize: st.size, sha256: object.sha256, contentType: object.contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.objectPath(key), { force: true });
    await rm(this.metaPath(key), { force: true });
  }

  async signedUrl(key: string, ttlSeconds: number): Promise<string> {
    assertMediaKey(key);
    return this.signer.url(key, ttlSeconds);
  }

  async read(key: string, range?: ByteRange) {
    const object = await this.head(key);
    if (!object) return null;
    const body = createReadStream(this.objectPath(key), range ? { start: range.start, end: range.end } : {});
    return { object, body };
  }
}

async function mkdirPrivate(dir: string) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

async function writePrivate(path: string, text: string) {
  const part = `${path}.${randomBytes(6).toString('hex')}.part`;
  await writeFile(part, text, { mode: 0o600 });
  await chmod(part, 0o600);
  await rename(part, path);
}
