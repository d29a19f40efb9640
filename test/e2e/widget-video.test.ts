/**
 * A rendered video in the web-chat widget, in real Chromium on a page of another origin: the bot's
 * reply carries `rich.media` (video/mp4 with a poster, by media store keys); the widget draws an
 * inline player with the poster, its URLs signed afresh by the API (the ones stored have long
 * expired), and the video plays and seeks from the media route (range requests). After a reload
 * the history frame draws the same player. Screenshot in test-results/widget/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mediaStoreFromConfig } from '../../media/store';
import { makePoster } from '../../video/outputs';
import { launchBrowser } from '../support/browser';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { makeClip } from '../video/support';
import { createWebchatChannel } from '../widget/support';
import { publishStored } from './support/media-fixtures';

const OUT = 'test-results/widget';
let stack: Stack;
let browser: Browser;
let site: Server;
let redis: Redis;
let dir: string;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'widget-video-'));
  stack = await startStack({ ...sharedServers(), env: { MEDIA_DIR: join(dir, 'media') } });
  redis = new Redis(sharedServers().redisUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (site ? site.close(r) : r(undefined)));
  await redis?.quit();
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

const widget = (page: Page, selector: string) => page.locator(`switchboard-widget ${selector}`);
const eventually = { timeout: 20_000, interval: 100 };

it('plays a rendered video inline with its poster, live and from history', { timeout: 120_000 }, async () => {
  const { apiKey, tenantId } = await stack.createTenant();
  const store = mediaStoreFromConfig(stack.config);
  const clip = makeClip(dir, 'render.mp4', { seconds: 4, width: 320, height: 240 });
  await makePoster(clip, join(dir, 'poster.jpg'), 4);
  const key = `t/${tenantId}/renders/r1/video.mp4`;
  const posterKey = `t/${tenantId}/renders/r1/poster.jpg`;
  await store.put(key, readFileSync(clip), 'video/mp4');
  await store.put(posterKey, readFileSync(join(dir, 'poster.jpg')), 'image/jpeg');

  const { channelId } = await createWebchatChannel(stack, apiKey, receptionFlow, {});
  site = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trattoria</title></head>
<body><h1>Trattoria</h1><script src="${stack.url}/widget.js" data-channel="${channelId}" async></script></body></html>`),
  );
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  await stack.request('PATCH', `/v1/channels/${channelId}`, { apiKey, body: { settings: { title: 'Trattoria', language: 'en', allowedOrigins: [siteUrl] } } });

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(siteUrl);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('hello');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await widget(page, '.msg.bot').filter({ hasText: 'Hello! What is your name?' }).waitFor();
  const conversationId = (await stack.request('GET', '/v1/conversations', { apiKey })).body.conversations[0].id as string;

  // The reply as the send activity stores it: URLs signed at send time, long expired, and the keys.
  const stale = (k: string) => `${stack.url}/media/${k}?expires=1&signature=stale`;
  const media = { url: stale(key), contentType: 'video/mp4', posterUrl: stale(posterKey), key, posterKey, caption: 'This week: lasagna' };
  const [row] = await stack.orm.em.getConnection().execute(
    `insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, metadata, created_at)
     values (?, ?, 'out', 'bot', ?, ?, ?::jsonb, ?) returning id`,
    [tenantId, conversationId, 'This week: lasagna', `widget-video:${randomUUID()}`, JSON.stringify({ rich: { media } }), new Date(Date.now() + 1000)],
  );
  await publishStored(redis, stack.orm, tenantId, conversationId, row.id);

  const checkPlayer = async () => {
    const player = widget(page, '.msg.bot video.player');
    await player.waitFor(eventually);
    const poster = (await player.getAttribute('poster'))!;
    // On the API's public URL (PUBLIC_URL), signed afresh.
    expect(new URL(poster).pathname).toBe(`/media/${posterKey}`);
    expect(poster).not.toContain('signature=stale');
    expect((await fetch(poster)).status).toBe(200);
    const src = (await player.locator('source').getAttribute('src'))!;
    expect(new URL(src).pathname).toBe(`/media/${key}`);
    expect(new URL(src).searchParams.get('signature')).not.toBe('stale');
    expect(await player.getAttribute('aria-label')).toBe('This week: lasagna');
    // Played muted (autoplay rules), then sought near the end: the browser fetches ranges of the file.
    const played = await player.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
      await new Promise((r) => setTimeout(r, 500));
      v.currentTime = 3.5;
      await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
      return { duration: v.duration, at: v.currentTime, error: v.error?.code ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.duration).toBeCloseTo(4, 0);
    expect(played.at).toBeGreaterThanOrEqual(3.4);
  };
  await checkPlayer();
  await page.screenshot({ path: `${OUT}/video.png` });

  await page.reload();
  await widget(page, '.msg.bot').filter({ hasText: 'This week: lasagna' }).first().waitFor(eventually);
  await checkPlayer();
  expect(errors).toEqual([]);
});
