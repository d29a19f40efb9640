/**
 * The widget shows what messages carry, in real Chromium on a page of another origin: a contact's
 * photo reads "Downloading…" and switches live to its thumbnail (linking to the whole file) when
 * the download stores it, a location with its map link, a contact card, and a reply the provider
 * refused marked failed with the reason; after a reload the history frame draws the same parts
 * from the stored messages, with signed links. Screenshot in test-results/widget/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { createWebchatChannel } from '../widget/support';
import { PHOTO, publishStored, settle, storePhoto, type MessageRef } from './support/media-fixtures';

const OUT = 'test-results/widget';
let stack: Stack;
let browser: Browser;
let site: Server;
let redis: Redis;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  stack = await startStack(sharedServers());
  redis = new Redis(sharedServers().redisUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (site ? site.close(r) : r(undefined)));
  await redis?.quit();
  await stack?.close();
});

const widget = (page: Page, selector: string) => page.locator(`switchboard-widget ${selector}`);
const eventually = { timeout: 15_000, interval: 100 };

it('draws files, a location, a contact card and a failed reply, live and from history', { timeout: 120_000 }, async () => {
  const { apiKey, tenantId } = await stack.createTenant();
  const { channelId } = await createWebchatChannel(stack, apiKey, receptionFlow, {});
  site = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbor Dental</title></head>
<body><h1>Harbor Dental</h1><script src="${stack.url}/widget.js" data-channel="${channelId}" async></script></body></html>`),
  );
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  await stack.request('PATCH', `/v1/channels/${channelId}`, { apiKey, body: { settings: { title: 'Harbor Dental', language: 'en', allowedOrigins: [siteUrl] } } });

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(siteUrl);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('hello');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await widget(page, '.msg.bot').filter({ hasText: 'Hello! What is your name?' }).waitFor();
  const conversationId = (await stack.request('GET', '/v1/conversations', { apiKey })).body.conversations[0].id as string;

  // Messages as the dispatcher and the send activity store them, each published as they publish.
  const base = Date.now() + 1_000;
  const insert = async (i: number, direction: string, author: string, text: string, metadata: object, status: string | null = null, error: string | null = null) => {
    const [row] = await stack.orm.em.getConnection().execute(
      `insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, external_id, metadata, status, error, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) returning id`,
      [tenantId, conversationId, direction, author, text, `widget-content:${randomUUID()}`, `ext-${i}`, JSON.stringify(metadata), status, error, new Date(base + i * 1000)],
    );
    await publishStored(redis, stack.orm, tenantId, conversationId, row.id);
  };
  await insert(1, 'in', 'contact', '[image]', { kind: 'image', attachments: [{ status: 'pending', ref: 'ext-1-media', contentType: 'image/png', name: 'harbor.png' }] });
  await insert(2, 'in', 'contact', 'Harbor Dental (52.52, 13.405)', { kind: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Harbor Dental' } });
  await insert(3, 'in', 'contact', 'Ada Lovelace +44 20 7946 0000', { kind: 'contacts', contacts: [{ name: 'Ada Lovelace', phones: ['+44 20 7946 0000'], emails: ['ada@example.org'], organization: 'Analytical Engines' }] });
  await insert(4, 'out', 'bot', 'See you on Tuesday!', {}, 'failed', '131047 Re-engagement message');

  const pending = widget(page, '.msg.contact [data-status="pending"]');
  await expect.poll(() => pending.textContent(), eventually).toBe('Downloading… harbor.png');
  const location = widget(page, '.msg.contact a.location');
  await location.waitFor(eventually);
  expect(await location.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=16/52.52/13.405');
  expect(await location.textContent()).toBe('📍 Harbor Dental · open map');
  const card = widget(page, '.msg.contact .contact-card');
  expect(await card.textContent()).toBe('Ada LovelaceAnalytical Engines+44 20 7946 0000ada@example.org');
  const failed = widget(page, '.msg.bot [data-delivery="failed"]');
  expect(await failed.getAttribute('title')).toBe('Not delivered: 131047 Re-engagement message');
  // The readable text form stands behind the parts: "[image]" and the coordinates are not shown.
  expect(await widget(page, '.msg.contact').filter({ hasText: '[image]' }).count()).toBe(0);

  // The download finishes: the same line switches to the thumbnail, which links to the whole file.
  const ref: MessageRef = { orm: stack.orm, redis, tenantId, conversationId, externalId: 'ext-1' };
  const photo = await storePhoto(ref, 'harbor.png');
  await settle(ref, photo.entry);
  const checkPreview = async () => {
    const preview = widget(page, '.msg.contact a.preview');
    await preview.waitFor(eventually);
    const img = preview.locator('img');
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), eventually).toBe(320);
    expect(await img.getAttribute('src')).toContain(`/v1/widget/files/${photo.thumbnailId}/`);
    const href = (await preview.getAttribute('href'))!;
    expect(href).toContain(`/v1/widget/files/${photo.assetId}/`);
    const full = await fetch(new URL(href, stack.url));
    expect(Buffer.from(await full.arrayBuffer()).equals(PHOTO)).toBe(true);
  };
  await checkPreview();
  expect(await pending.count()).toBe(0);
  expect(await widget(page, '.msg[data-id]').count()).toBe(6);
  await page.screenshot({ path: `${OUT}/content.png` });

  // A reload resumes the conversation: the history frame carries the same parts, with signed links.
  await page.reload();
  await widget(page, '.msg.bot').filter({ hasText: 'See you on Tuesday!' }).waitFor(eventually);
  await checkPreview();
  await widget(page, '.msg.contact a.location').waitFor();
  expect(await widget(page, '.msg.bot [data-delivery="failed"]').count()).toBe(1);
  expect(errors).toEqual([]);
});
