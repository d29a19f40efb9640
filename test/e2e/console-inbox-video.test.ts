/**
 * The inbox shows a reply's rendered video in real Chromium against the real API: a player with
 * its poster, both signed afresh from the media store keys (the URLs stored with the message have
 * expired), served from the console's own origin, and the video plays. Screenshot in test-results/console/.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mediaStoreFromConfig } from '../../media/store';
import { makePoster } from '../../video/outputs';
import { makeClip } from '../video/support';
import { startInboxBench, type InboxBench } from './support/inbox-bench';
import { InboxPageObject } from './support/pages';

let bench: InboxBench;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inbox-video-'));
  bench = await startInboxBench('Video', { MEDIA_DIR: join(dir, 'media') });
});
afterAll(async () => {
  await bench?.close();
  await rm(dir, { recursive: true, force: true });
});

it('plays a reply’s video with its poster', { timeout: 90_000 }, async () => {
  const { stack, tenantId, conversationId, app } = bench;
  const store = mediaStoreFromConfig(stack.config);
  const clip = makeClip(dir, 'render.mp4', { seconds: 3, width: 320, height: 240 });
  await makePoster(clip, join(dir, 'poster.jpg'), 3);
  const key = `t/${tenantId}/renders/r2/video.mp4`;
  const posterKey = `t/${tenantId}/renders/r2/poster.jpg`;
  await store.put(key, readFileSync(clip), 'video/mp4');
  await store.put(posterKey, readFileSync(join(dir, 'poster.jpg')), 'image/jpeg');
  const media = { url: 'https://gone.example/video.mp4', contentType: 'video/mp4', posterUrl: 'https://gone.example/poster.jpg', key, posterKey, caption: 'Special of the week' };
  await stack.orm.em.getConnection().execute(
    `insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, metadata, status, created_at) values (?, ?, 'out', 'bot', ?, ?, ?::jsonb, 'delivered', ?)`,
    [tenantId, conversationId, 'Special of the week', `video-test:${randomUUID()}`, JSON.stringify({ rich: { media } }), new Date()],
  );

  const inbox = new InboxPageObject(app);
  await inbox.open(conversationId);
  const player = inbox.message('bot', 'Special of the week').locator('video[data-media="video"]');
  await player.waitFor();
  // Paths on the console's origin (its CSP allows only 'self'), signed afresh.
  const poster = (await player.getAttribute('poster'))!;
  expect(poster.startsWith(`/media/${posterKey}?expires=`)).toBe(true);
  expect((await player.locator('source').getAttribute('src'))!.startsWith(`/media/${key}?expires=`)).toBe(true);
  const played = await player.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    await v.play();
    await new Promise((r) => setTimeout(r, 300));
    return { duration: v.duration, playing: v.currentTime > 0, error: v.error?.code ?? null };
  });
  expect(played).toMatchObject({ playing: true, error: null });
  expect(played.duration).toBeCloseTo(3, 0);
  await app.screenshot('inbox-video');
  expect(app.errors).toEqual([]);
});
