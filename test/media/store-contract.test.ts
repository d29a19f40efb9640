/**
 * The media store's contract, run against both backends: the local disk store and the S3 store
 * on a local S3 server (s3rver). Each stores, describes, copies out, serves URLs for and deletes
 * objects the same way.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../core/config';
import { LocalMediaStore } from '../../media/local-store';
import type { MediaStore } from '../../media/store';
import { startFakeS3, type FakeS3 } from '../fakes/s3-server';
import { localMediaConfig, s3MediaEnv, storeOf } from './support';

let s3: FakeS3;
let work: string;
beforeAll(async () => {
  s3 = await startFakeS3();
  work = await mkdtemp(join(tmpdir(), 'media-contract-'));
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const backends: [string, () => Promise<Config>][] = [
  ['local disk', () => localMediaConfig()],
  ['S3 (s3rver)', () => localMediaConfig(s3MediaEnv(s3, true))],
];

describe.each(backends)('media store contract: %s', (_name, makeConfig) => {
  let store: MediaStore;
  beforeAll(async () => {
    store = storeOf(await makeConfig());
  });

  it('puts a buffer and answers its size, digest and type; head and download agree', async () => {
    const body = Buffer.from('a small mp3 stand-in '.repeat(100));
    const stored = await store.put('t/tenant-a/speech/abc.mp3', body, 'audio/mpeg');
    expect(stored).toEqual({ key: 't/tenant-a/speech/abc.mp3', byteSize: body.length, sha256: sha(body), contentType: 'audio/mpeg' });
    expect(await store.head('t/tenant-a/speech/abc.mp3')).toEqual(stored);
    const copy = join(work, `copy-${store.backend}.mp3`);
    await store.download('t/tenant-a/speech/abc.mp3', copy);
    expect(await readFile(copy)).toEqual(body);
  });

  it('puts a stream of unknown length (spooled, hashed on the way)', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(20_000, i));
    const all = Buffer.concat(chunks);
    const stored = await store.put('t/tenant-a/renders/r1/video.mp4', Readable.from(chunks), 'video/mp4');
    expect(stored.byteSize).toBe(all.length);
    expect(stored.sha256).toBe(sha(all));
    expect((await store.head('t/tenant-a/renders/r1/video.mp4'))?.contentType).toBe('video/mp4');
  });

  it('replaces an object put again under the same key', async () => {
    await store.put('t/tenant-a/avatars/a1.png', Buffer.from('first'), 'image/png');
    const second = await store.put('t/tenant-a/avatars/a1.png', Buffer.from('second version'), 'image/png');
    expect(await store.head('t/tenant-a/avatars/a1.png')).toEqual(second);
  });

  it('reads one byte range', async () => {
    const body = Buffer.from('0123456789abcdef');
    await store.put('t/tenant-a/ranges/r.bin', body, 'application/octet-stream');
    const read = await store.read('t/tenant-a/ranges/r.bin', { start: 4, end: 9 });
    const chunks: Buffer[] = [];
    for await (const c of read!.body) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).toString()).toBe('456789');
  });

  it('answers null for a missing object, and download of one fails', async () => {
    expect(await store.head('t/tenant-a/nothing/here.mp4')).toBeNull();
    expect(await store.read('t/tenant-a/nothing/here.mp4')).toBeNull();
    await expect(store.download('t/tenant-a/nothing/here.mp4', join(work, 'x'))).rejects.toThrow(/does not exist/);
  });

  it('deletes (and deleting twice is fine)', async () => {
    await store.put('t/tenant-a/tmp/gone.txt', Buffer.from('bye'), 'text/plain');
    await store.delete('t/tenant-a/tmp/gone.txt');
    await store.delete('t/tenant-a/tmp/gone.txt');
    expect(await store.head('t/tenant-a/tmp/gone.txt')).toBeNull();
  });

  it('refuses keys outside a tenant or with traversal', async () => {
    for (const key of ['../etc/passwd', 't/a/../../x', 'speech/x.mp3', 't/a', 't/a//x', '/t/a/x', 't/a/.hidden/x', 't/a/x y']) {
      await expect(store.put(key, Buffer.from('x'), 'text/plain'), key).rejects.toThrow(/invalid media key/);
    }
  });

  it('hands out a URL that fetches the object (with ranges) until it expires', async () => {
    const body = Buffer.from('range me please');
    await store.put('t/tenant-a/urls/u.txt', body, 'text/plain');
    const url = await store.signedUrl('t/tenant-a/urls/u.txt', 300);
    if (store.backend === 'local') {
      // The API serves it: test/media/route.test.ts fetches these.
      expect(url).toMatch(/^http:\/\/media\.test\/media\/t\/tenant-a\/urls\/u\.txt\?expires=\d+&signature=[\w-]+$/);
      return;
    }
    expect(url).toContain('X-Amz-Signature=');
    expect(url).toContain('X-Amz-Expires=300');
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(body);
    const part = await fetch(url, { headers: { range: 'bytes=0-4' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('range');
    // s3rver checks a presigned URL's expiry (not its SigV4 signature, which real S3 does): one signed in 2020 is refused.
    const expired = await fetch(url.replace(/X-Amz-Date=\d{8}/, 'X-Amz-Date=20200101'));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
  });
});

describe('local disk store', () => {
  it('keeps objects private: directories 0700, files 0600', async () => {
    const config = await localMediaConfig();
    const store = storeOf(config) as LocalMediaStore;
    await store.put('t/tenant-a/renders/r9/poster.jpg', Buffer.from('jpeg'), 'image/jpeg');
    expect((await stat(join(store.dir, 'objects/t/tenant-a/renders/r9'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(store.dir, 'objects/t/tenant-a/renders/r9/poster.jpg'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(store.dir, 'meta/t/tenant-a/renders/r9/poster.jpg.json'))).mode & 0o777).toBe(0o600);
  });

  it('defaults to DATA_DIR/media', async () => {
    const config = await localMediaConfig({ MEDIA_DIR: '', DATA_DIR: '/var/lib/switchboard' });
    expect((storeOf(config) as LocalMediaStore).dir).toBe('/var/lib/switchboard/media');
  });
});
