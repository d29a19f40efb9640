/**
 * The inbox shows what a message carries in real Chromium against the real API: a contact's
 * image (loaded through its signed link), a shared location with its map link, and a reply the
 * provider refused, marked failed with the provider's reason on hover. The messages are stored
 * as the inbound dispatcher and the send activity store them. Screenshot in test-results/console/.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Message } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { toReply } from '../../db/repos';
import { publishLive } from '../../events/live';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Stack } from '../support/stack';
import type { ConsoleApp } from './support/console';
import { startInboxBench, type InboxBench } from './support/inbox-bench';
import { InboxPageObject } from './support/pages';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let bench: InboxBench;
let stack: Stack;
let app: ConsoleApp;
let conversationId: string;
let tenant: string;
let redis: Redis;

let message: (i: number, direction: string, author: string, text: string, metadata: object, status?: string | null, error?: string | null) => Promise<unknown>;
const sql = (query: string, params: unknown[]) => stack.orm.em.getConnection().execute(query, params);

beforeAll(async () => {
  bench = await startInboxBench('Media');
  ({ stack, app, redis, conversationId } = bench);
  const tenantId = (tenant = bench.tenantId);

  const [asset] = await sql(
    `insert into media_assets (tenant_id, conversation_id, ref, content_type, name, byte_size, sha256, content) values (?, ?, 'wamid.image', 'image/png', 'smile.png', ?, ?, ?) returning id`,
    [tenantId, conversationId, PNG.length, createHash('sha256').update(PNG).digest('hex'), PNG],
  );
  const at = Date.now();
  message = (i: number, direction: string, author: string, text: string, metadata: object, status: string | null = null, error: string | null = null) =>
    sql(`insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, metadata, status, error, created_at) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)`, [
      tenantId,
      conversationId,
      direction,
      author,
      text,
      `media-test:${randomUUID()}`,
      JSON.stringify(metadata),
      status,
      error,
      new Date(at + i * 1000),
    ]);
  await message(1, 'in', 'contact', '[image]', { kind: 'image', mediaType: 'image', attachments: [{ mediaAssetId: asset.id, contentType: 'image/png', byteSize: PNG.length, name: 'smile.png' }] });
  await message(2, 'in', 'contact', 'Harbor Dental (52.52, 13.405)', { kind: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Harbor Dental' } });
  await message(3, 'out', 'bot', 'See you on Tuesday!', {}, 'failed', '131047 Re-engagement message: more than 24 hours have passed');
});

afterAll(async () => bench?.close());

const eventually = { timeout: 15_000, interval: 100 };

it('shows the image, the location with a map link, and the failed reply with its reason', { timeout: 90_000 }, async () => {
  const inbox = new InboxPageObject(app);
  await inbox.open(conversationId);

  // The image stands for its "[image]" text, the location card for its coordinates.
  const image = inbox.transcript().locator('.ib-msg[data-author="contact"] img');
  await image.waitFor();
  // Loaded through the signed link, not just an <img> pointing somewhere.
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), eventually).toBe(1);
  expect(await image.getAttribute('src')).toContain('/v1/widget/files/');

  const location = inbox.message('contact', 'Harbor Dental').getByRole('link', { name: /Harbor Dental/ });
  expect(await inbox.transcript().getByText('[image]').count()).toBe(0);
  expect(await location.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=16/52.52/13.405');

  const failed = inbox.message('bot', 'See you on Tuesday!').locator('[data-delivery="failed"]');
  await failed.waitFor();
  expect(await failed.textContent()).toContain('failed');
  expect(await failed.getAttribute('title')).toBe('Not delivered: 131047 Re-engagement message: more than 24 hours have passed');
  await failed.hover();
  await app.screenshot('inbox-media');
  expect(app.errors).toEqual([]);
});

it('follows the delivery status of a reply live: ✓ when sent, ✓✓ when delivered', { timeout: 60_000 }, async () => {
  const inbox = new InboxPageObject(app);
  await inbox.open(conversationId);
  await inbox.message('bot', 'See you on Tuesday!').waitFor();
  await message(4, 'out', 'bot', 'Your reminder is on its way', {}, 'sent');
  const em = tenantEm(stack.orm, tenant);
  const stored = await em.findOneOrFail(Message, { text: 'Your reminder is on its way', conversation: conversationId });
  // What sendChannelMessage publishes once it has stored the status.
  await publishLive(redis, tenant, conversationId, { type: 'message', message: toReply(stored) });
  const mark = inbox.message('bot', 'Your reminder is on its way').locator('[data-delivery]');
  await expect.poll(() => mark.getAttribute('data-delivery'), eventually).toBe('sent');
  expect(await mark.textContent()).toBe('✓');
  await sql(`update messages set status = 'delivered' where id = ?`, [stored.id]);
  await publishLive(redis, tenant, conversationId, { type: 'message', message: toReply(stored) });
  await expect.poll(() => mark.getAttribute('data-delivery'), eventually).toBe('delivered');
  expect(await mark.textContent()).toBe('✓✓');
});
