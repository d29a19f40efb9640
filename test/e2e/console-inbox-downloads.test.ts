/**
 * Files that are still downloading, in real Chromium against the real API: a contact's image
 * arrives `pending` and the inbox says "Downloading…"; when the download stores it (with the
 * thumbnail ffmpeg made) the line switches live, through the tenant feed and the inbox WebSocket,
 * to the thumbnail, which links to the whole file; another file that fails switches to
 * "failed: <reason>". The outcomes are written and published as markInboundMedia writes and
 * publishes them. Screenshot in test-results/console/.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stack } from '../support/stack';
import type { ConsoleApp } from './support/console';
import { startInboxBench, type InboxBench } from './support/inbox-bench';
import { PHOTO, settle, storePhoto, type MessageRef } from './support/media-fixtures';
import { InboxPageObject } from './support/pages';

let bench: InboxBench;
let stack: Stack;
let page: Page;
let app: ConsoleApp;
let redis: Redis;
let tenantId: string;
let conversationId: string;

const sql = (query: string, params: unknown[]) => stack.orm.em.getConnection().execute(query, params);

async function contactMessage(externalId: string, file: object) {
  await sql(`insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, external_id, metadata) values (?, ?, 'in', 'contact', '[image]', ?, ?, ?::jsonb)`, [
    tenantId,
    conversationId,
    `downloads-test:${randomUUID()}`,
    externalId,
    JSON.stringify({ kind: 'image', attachments: [{ status: 'pending', ref: `${externalId}-media`, ...file }] }),
  ]);
}

const ref = (externalId: string): MessageRef => ({ orm: stack.orm, redis, tenantId, conversationId, externalId });

beforeAll(async () => {
  bench = await startInboxBench('Downloads');
  ({ stack, page, app, redis, tenantId, conversationId } = bench);
});

afterAll(async () => bench?.close());

const eventually = { timeout: 15_000, interval: 100 };

it('"Downloading…" while pending, then live the thumbnail linking to the file, or "failed: <reason>"', { timeout: 90_000 }, async () => {
  await contactMessage('wamid.photo', { contentType: 'image/png', name: 'harbor.png' });
  await contactMessage('wamid.scan', { contentType: 'image/jpeg', name: 'scan.jpg' });
  const inbox = new InboxPageObject(app);
  await inbox.open(conversationId);
  const lines = inbox.transcript().locator('.ib-msg[data-author="contact"]');
  await expect.poll(() => lines.locator('[data-status="pending"]').allTextContents(), eventually).toEqual(['Downloading… harbor.png', 'Downloading… scan.jpg']);

  const photo = await storePhoto(ref('wamid.photo'), 'harbor.png');
  await settle(ref('wamid.photo'), photo.entry);

  const preview = lines.locator('a.ib-preview');
  await preview.waitFor(eventually);
  const image = preview.locator('img');
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), eventually).toBe(320);
  expect(await image.getAttribute('src')).toContain(`/v1/widget/files/${photo.thumbnailId}/`);
  expect(await preview.getAttribute('href')).toContain(`/v1/widget/files/${photo.assetId}/`);
  // The link opens the whole 800-px file.
  const full = await page.request.get(new URL((await preview.getAttribute('href'))!, stack.url).toString());
  expect(full.status()).toBe(200);
  expect(Buffer.from(await full.body()).equals(PHOTO)).toBe(true);

  await settle(ref('wamid.scan'), { status: 'failed', ref: 'wamid.scan-media', name: 'scan.jpg', contentType: 'image/jpeg', error: 'attachment download failed: fetch failed' });
  await expect.poll(() => lines.locator('[data-status="failed"]').textContent(), eventually).toBe('scan.jpg: failed: attachment download failed: fetch failed');
  expect(await lines.locator('[data-status="pending"]').count()).toBe(0);
  await app.screenshot('inbox-downloads');
  expect(app.errors).toEqual([]);
});
