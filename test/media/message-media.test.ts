/**
 * A reply's linked video as the API shows it later (inbox, widget history): URLs signed afresh
 * from the store keys of the message's own tenant, the stored URLs otherwise.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileLinks, messageContentDto } from '../../api/services/message-content';
import { loadConfig } from '../../core/config';
import { mediaUrlSignerFromConfig } from '../../media/store';

const config = loadConfig({ SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('hex'), PUBLIC_URL: 'https://api.example.com', MEDIA_URL_TTL_SECONDS: '3600' });
const links = fileLinks({ config, secretKey: randomBytes(32) });
const SENT = 'https://api.example.com/media/t/tenant-a/renders/r1/video.mp4?expires=1&signature=old';
const message = (tenant: string, media: Record<string, unknown>) => ({
  tenant, direction: 'out' as const, status: 'sent', error: null, channelId: null,
  metadata: { rich: { media: { url: SENT, contentType: 'video/mp4', posterUrl: 'https://x.example/p.jpg', ...media } } },
});
const query = (url: string) => new URL(url).searchParams;

describe('a reply’s linked media', () => {
  it('is signed afresh from the keys of the message’s tenant', () => {
    const dto = messageContentDto(message('tenant-a', { key: 't/tenant-a/renders/r1/video.mp4', posterKey: 't/tenant-a/renders/r1/poster.jpg', hlsKey: 't/tenant-a/renders/r1/hls/index.m3u8', caption: 'Lasagna!' }), links);
    expect(dto.media).toMatchObject({ contentType: 'video/mp4', caption: 'Lasagna!' });
    const signer = mediaUrlSignerFromConfig(config);
    for (const [url, key] of [[dto.media!.url, 't/tenant-a/renders/r1/video.mp4'], [dto.media!.posterUrl!, 't/tenant-a/renders/r1/poster.jpg'], [dto.media!.hlsUrl!, 't/tenant-a/renders/r1/hls/index.m3u8']]) {
      expect(url.startsWith(`https://api.example.com/media/${key}?`)).toBe(true);
      expect(signer.verify(key, query(url).get('expires')!, query(url).get('signature')!)).toEqual({ ok: true });
      expect(Number(query(url).get('expires')) * 1000 - Date.now()).toBeGreaterThan(3500_000);
    }
  });

  it('never signs another tenant’s key: the URLs as sent are shown', () => {
    const dto = messageContentDto(message('tenant-a', { key: 't/tenant-b/renders/r9/video.mp4', posterKey: 't/tenant-b/renders/r9/poster.jpg' }), links);
    expect(dto.media).toEqual({ url: SENT, contentType: 'video/mp4', posterUrl: 'https://x.example/p.jpg' });
  });

  it('shows a link without keys as it was sent, and nothing for a malformed one', () => {
    expect(messageContentDto(message('tenant-a', {}), links).media).toEqual({ url: SENT, contentType: 'video/mp4', posterUrl: 'https://x.example/p.jpg' });
    expect(messageContentDto({ ...message('tenant-a', {}), metadata: { rich: { media: { url: 5 } } } }, links).media).toBeUndefined();
  });
});
