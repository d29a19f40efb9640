/**
 * Files that are still downloading, in real Chromium against the real API: a contact's image
 * arrives `pending` and the inbox says "Downloading…"; when the download stores it (with the
 * thumbnail ffmpeg made) the line switches live, through the tenant feed and the inbox WebSocket,
 * to the thumbnail, which links to the whole file; another file that fails switches to
 * "failed: <reason>". The outcomes are written and published as markInboundMedia writes and
 * publishes them. Screenshot in test-results/console/.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeThumbnail } from '../../channels/thumbnails';
import { Message } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { setAttachmentOutcome, storeMediaAsset, toReply } from '../../db/repos';
import { publishLive } from '../../events/live';
import type { Stack } from '../support/stack';
import type { ConsoleApp } from './support/console';
import { startInboxBench, type InboxBench } from './support/inbox-bench';
import { InboxPageObject } from './support/pages';

/** An 800×600 test pattern from ffmpeg's own generator. */
const PHOTO = execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=800x600', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1']);

let bench: InboxBench;
let stack: Stack;
let page: Page;
let app: ConsoleApp;
let redis: Redis;
let tenantId: string;
let conversationId: string;

const sql = (query: string, params: unknown[]) => stack.orm.em.getConnection().execute(query, params);
const em = () => tenantEm(stack.orm, tenantId);

async function contactMessage(externalId: string, file: object) {
  await sql(`insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, external_id, metadata) values (?, ?, 'in', 'contact', '[image]', ?, ?, ?::jsonb)`, [
    tenantId,
    conversationId,
    `downloads-test:${randomUUID()}`,
    externalId,
    JSON.stringify({ kind: 'image', attachments: [{ status: 'pending', ref: `${externalId}-media`, ...file }] }),
  ]);
}

/** What markInboundMedia does with an outcome: the entry replaced, the message published again. */
async function settle(externalId: string, entry: Record<string, unknown>) {
  const id = await setAttachmentOutcome(em(), tenantId, conversationId, externalId, 0, entry);
  const stored = await em().findOneOrFail(Message, { id: id! });
  await publishLive(redis, tenantId, conversationId, { type: 'message', message: { ...toReply(stored), author: 'contact' } });
}

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

  const ref = { channelId: null as unknown as string, conversationId, messageExternalId: 'wamid.photo' };
  const asset = await storeMediaAsset(em(), tenantId, { ...ref, ref: 'wamid.photo-media', contentType: 'image/png', name: 'harbor.png', data: PHOTO });
  const thumb = await storeMediaAsset(em(), tenantId, { ...ref, ref: 'wamid.photo-media#thumbnail', contentType: 'image/jpeg', name: 'thumbnail.jpg', data: (await makeThumbnail(PHOTO, 'image/png'))! });
  await settle('wamid.photo', { status: 'stored', mediaAssetId: asset.id, contentType: 'image/png', byteSize: asset.byteSize, name: 'harbor.png', thumbnailAssetId: thumb.id });

  const preview = lines.locator('a.ib-preview');
  await preview.waitFor(eventually);
  const image = preview.locator('img');
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), eventually).toBe(320);
  expect(await image.getAttribute('src')).toContain(`/v1/widget/files/${thumb.id}/`);
  expect(await preview.getAttribute('href')).toContain(`/v1/widget/files/${asset.id}/`);
  // The link opens the whole 800-px file.
  const full = await page.request.get(new URL((await preview.getAttribute('href'))!, stack.url).toString());
  expect(full.status()).toBe(200);
  expect(Buffer.from(await full.body()).equals(PHOTO)).toBe(true);

  await settle('wamid.scan', { status: 'failed', ref: 'wamid.scan-media', name: 'scan.jpg', contentType: 'image/jpeg', error: 'attachment download failed: fetch failed' });
  await expect.poll(() => lines.locator('[data-status="failed"]').textContent(), eventually).toBe('scan.jpg: failed: attachment download failed: fetch failed');
  expect(await lines.locator('[data-status="pending"]').count()).toBe(0);
  await app.screenshot('inbox-downloads');
  expect(app.errors).toEqual([]);
});
