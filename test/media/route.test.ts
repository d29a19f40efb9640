/**
 * The public media route `GET /media/{key}`: signed expiring URLs (tampering and expiry refused),
 * range requests (206, suffix and open ranges, 416), headers (type, length, ranges, caching, ETag,
 * 304), for the local store and for an S3 bucket the API reads from; and a CDN base URL.
 */
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../api/deps';
import { registerErrorHandling } from '../../api/plugins/errors';
import { maskMediaSignature, mediaRoutes } from '../../api/routes/media';
import type { Config } from '../../core/config';
import { parseRange } from '../../media/range';
import { MediaUrlSigner } from '../../media/signed-url';
import { mediaUrlKey, type MediaStore } from '../../media/store';
import { startFakeS3, type FakeS3 } from '../fakes/s3-server';
import { localMediaConfig, s3MediaEnv, storeOf } from './support';

let s3: FakeS3;
beforeAll(async () => {
  s3 = await startFakeS3();
});
afterAll(() => s3?.close());

async function appFor(config: Config, store: MediaStore) {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await app.register(mediaRoutes({ config, mediaStore: store } as AppDeps));
  return app;
}

const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
const VIDEO = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

describe.each([
  ['local disk', () => localMediaConfig()],
  ['S3 bucket read by the API', () => localMediaConfig(s3MediaEnv(s3, false))],
])('GET /media/{key}: %s', (_name, makeConfig) => {
  let app: Awaited<ReturnType<typeof appFor>>;
  let config: Config;
  let url: string;
  beforeAll(async () => {
    config = await makeConfig();
    const store = storeOf(config);
    await store.put('t/tenant-a/renders/r1/video.mp4', VIDEO, 'video/mp4');
    app = await appFor(config, store);
    url = pathOf(await store.signedUrl('t/tenant-a/renders/r1/video.mp4', 600));
  });
  afterAll(() => app?.close());

  it('serves the whole object with its type, length, ranges, caching and ETag', async () => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload).toEqual(VIDEO);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['cache-control']).toMatch(/^public, max-age=(59\d|600)$/);
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': res.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('answers a range with 206 and Content-Range', async () => {
    const res = await app.inject({ method: 'GET', url, headers: { range: 'bytes=100-199' } });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 100-199/1000');
    expect(res.headers['content-length']).toBe('100');
    expect(res.rawPayload).toEqual(VIDEO.subarray(100, 200));
    const open = await app.inject({ method: 'GET', url, headers: { range: 'bytes=990-' } });
    expect(open.headers['content-range']).toBe('bytes 990-999/1000');
    expect(open.rawPayload).toEqual(VIDEO.subarray(990));
    const suffix = await app.inject({ method: 'GET', url, headers: { range: 'bytes=-10' } });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.rawPayload).toEqual(VIDEO.subarray(990));
    const past = await app.inject({ method: 'GET', url, headers: { range: 'bytes=900-5000' } });
    expect(past.headers['content-range']).toBe('bytes 900-999/1000');
  });

  it('answers 416 with the size for a range it cannot satisfy', async () => {
    for (const range of ['bytes=1000-1001', 'bytes=500-100', 'bytes=-0', 'bytes=-']) {
      const res = await app.inject({ method: 'GET', url, headers: { range } });
      expect(res.statusCode, range).toBe(416);
      expect(res.headers['content-range']).toBe('bytes */1000');
    }
  });

  it('refuses a tampered signature, a changed key or expiry, and a missing signature', async () => {
    const [path, query] = url.split('?');
    const params = new URLSearchParams(query);
    const sig = params.get('signature')!;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const cases = [
      `${path}?expires=${params.get('expires')}&signature=${flipped}`,
      `${path}?expires=${Number(params.get('expires')) + 3600}&signature=${sig}`,
      `${path.replace('video.mp4', 'other.mp4')}?${query}`,
      `${path.replace('tenant-a', 'tenant-b')}?${query}`,
      path,
    ];
    for (const bad of cases) {
      const res = await app.inject({ method: 'GET', url: bad });
      expect(res.statusCode, bad).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
  });

  it('refuses an expired URL even with a valid signature', async () => {
    const past = new MediaUrlSigner('http://media.test/media', () => mediaUrlKey(config.SWITCHBOARD_SECRET_KEY!), () => Date.now() - 3600_000);
    const res = await app.inject({ method: 'GET', url: pathOf(past.url('t/tenant-a/renders/r1/video.mp4', 60)) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/expired/);
  });

  it('answers 404 for a signed URL of a missing object and for a key that is no key', async () => {
    const signer = new MediaUrlSigner('http://media.test/media', () => mediaUrlKey(config.SWITCHBOARD_SECRET_KEY!));
    expect((await app.inject({ method: 'GET', url: pathOf(signer.url('t/tenant-a/gone.mp4', 60)) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/media/t/a/%2e%2e/%2e%2e/etc/passwd?expires=1&signature=x' })).statusCode).toBe(404);
  });
});

describe('HLS playlists', () => {
  it.each([
    ['local disk', () => localMediaConfig()],
    ['S3 with presigned URLs', () => localMediaConfig(s3MediaEnv(s3, true))],
  ])('%s: served by the API with every segment signed, and each segment plays by its URL', async (_name, makeConfig) => {
    const config = await makeConfig();
    const store = storeOf(config);
    const playlist = '#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nsegment000.ts\n#EXTINF:2.0,\nsegment001.ts\n#EXTINF:1.0,\n../../other/evil.ts\n#EXT-X-ENDLIST\n';
    await store.put('t/tenant-a/renders/r2/hls/index.m3u8', Buffer.from(playlist), 'application/vnd.apple.mpegurl');
    await store.put('t/tenant-a/renders/r2/hls/segment000.ts', Buffer.from('first segment'), 'video/mp2t');
    await store.put('t/tenant-a/renders/r2/hls/segment001.ts', Buffer.from('second segment'), 'video/mp2t');
    const url = await store.signedUrl('t/tenant-a/renders/r2/hls/index.m3u8', 600);
    // Even with presigned S3 URLs the playlist comes from the API, which can sign its segments.
    expect(url).toMatch(/^http:\/\/media\.test\/media\/t\/tenant-a\/renders\/r2\/hls\/index\.m3u8\?expires=/);
    const app = await appFor(config, store);
    const res = await app.inject({ method: 'GET', url: pathOf(url) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    const lines = res.body.split('\n');
    expect(lines.filter((l) => l.startsWith('#'))).toEqual(playlist.split('\n').filter((l) => l.startsWith('#')));
    const segments = lines.filter((l) => l && !l.startsWith('#'));
    expect(segments).toHaveLength(2);
    for (const [i, segment] of segments.entries()) {
      const body = segment.startsWith('http://media.test') ? (await app.inject({ method: 'GET', url: pathOf(segment) })).body : await (await fetch(segment)).text();
      expect(body).toBe(i === 0 ? 'first segment' : 'second segment');
    }
    await app.close();
  });
});

describe('media URLs', () => {
  it('start at MEDIA_CDN_BASE_URL when set, and the origin verifies them', async () => {
    const config = await localMediaConfig({ MEDIA_CDN_BASE_URL: 'https://cdn.example.com/media' });
    const store = storeOf(config);
    await store.put('t/tenant-a/x/poster.jpg', Buffer.from('jpeg'), 'image/jpeg');
    const url = await store.signedUrl('t/tenant-a/x/poster.jpg', 60);
    expect(url).toMatch(/^https:\/\/cdn\.example\.com\/media\/t\/tenant-a\/x\/poster\.jpg\?expires=\d+&signature=/);
    const app = await appFor(config, store);
    expect((await app.inject({ method: 'GET', url: pathOf(url) })).statusCode).toBe(200);
    await app.close();
  });

  it('S3 with a CDN hands out CDN URLs instead of presigned ones', async () => {
    const config = await localMediaConfig({ ...s3MediaEnv(s3, true), MEDIA_CDN_BASE_URL: 'https://cdn.example.com/media' });
    expect(await storeOf(config).signedUrl('t/tenant-a/x/poster.jpg', 60)).toMatch(/^https:\/\/cdn\.example\.com\/media\/t\/tenant-a\/x\/poster\.jpg\?expires=/);
  });

  it('download anything but pictures, sound and video instead of showing it on the API’s origin', async () => {
    const config = await localMediaConfig();
    const store = storeOf(config);
    await store.put('t/tenant-a/x/page.html', Buffer.from('<script>alert(1)</script>'), 'text/html');
    await store.put('t/tenant-a/x/logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml');
    const app = await appFor(config, store);
    for (const key of ['t/tenant-a/x/page.html', 't/tenant-a/x/logo.svg']) {
      const res = await app.inject({ method: 'GET', url: pathOf(await store.signedUrl(key, 60)) });
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    }
    await app.close();
  });

  it('are logged without their signature', () => {
    expect(maskMediaSignature('/media/t/a/v.mp4?expires=1&signature=abc')).toBe('/media/t/a/v.mp4?expires=1&signature=***');
  });

  it('ranges: several ranges or another unit get the whole object', () => {
    expect(parseRange('bytes=0-1,5-6', 10)).toEqual({ kind: 'whole' });
    expect(parseRange('items=0-1', 10)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=0-0', 10)).toEqual({ kind: 'partial', range: { start: 0, end: 0 } });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
