/**
 * The sweep's choice and the claim: an overdue chain head is queued again and a worker's stale
 * claim is taken back, while a delivery behind an unfinished one of its chain is neither swept
 * nor claimable until the head is done.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemEm, tenantEm, type Orm } from '../../db/orm';
import { claimDelivery, createWebhookSubscription, finishAttempt, insertDeliveries, overdueDeliveries } from '../../db/repos';
import { makeTenant, testOrm } from '../db/fixtures';

let orm: Orm;
beforeAll(async () => {
  orm = await testOrm();
});
afterAll(() => orm.close(true));

it('sweeps chain heads and stale claims, never a delivery waiting behind its chain', async () => {
  const t = await makeTenant(orm);
  const sub = await createWebhookSubscription(tenantEm(orm, t.tenantId), t.tenantId, { url: 'https://example.com/h', eventTypes: ['*'], description: '', enabled: true, secretEncrypted: 'v1:x:y:z' });
  const em = systemEm(orm);
  const at = (s: number) => new Date(Date.now() - s * 1000);
  const row = (eventAt: Date, orderKey: string | null) => ({ id: randomUUID(), tenantId: t.tenantId, subscriptionId: sub.id, eventId: randomUUID(), eventType: 'message.sent', eventAt, eventSeq: eventAt.getTime() * 1000, orderKey, payload: {} });
  const [head, follower, loose, stale] = [row(at(300), 'c1'), row(at(299), 'c1'), row(at(200), null), row(at(100), 'c2')];
  await insertDeliveries(em, [head, follower, loose, stale]);
  const sql = em.getConnection();
  await sql.execute(`update webhook_deliveries set next_attempt_at = now() - interval '5 minutes' where id in (?, ?, ?, ?)`, [head.id, follower.id, loose.id, stale.id]);
  await sql.execute(`update webhook_deliveries set status = 'delivering', claimed_at = now() - interval '10 minutes' where id = ?`, [stale.id]);

  const mine = new Set<string>([head.id, follower.id, loose.id, stale.id]);
  const swept = async () => (await overdueDeliveries(em, 10_000)).filter((id) => mine.has(id)).sort();
  expect(await swept()).toEqual([head.id, loose.id, stale.id].sort());

  // The follower cannot be claimed while the head is unfinished; the head can, once.
  expect(await claimDelivery(em, follower.id)).toBeNull();
  expect((await claimDelivery(em, head.id))?.id).toBe(head.id);
  expect(await claimDelivery(em, head.id)).toBeNull();
  expect(await claimDelivery(em, follower.id)).toBeNull();
  // A stale claim is taken back.
  expect((await claimDelivery(em, stale.id))?.id).toBe(stale.id);

  await finishAttempt(em, { tenantId: t.tenantId, deliveryId: head.id, attempt: 1, statusCode: 200, latencyMs: 5, responseExcerpt: null, error: null }, { status: 'succeeded' });
  expect(await swept()).toEqual([follower.id, loose.id].sort());
  expect((await claimDelivery(em, follower.id))?.id).toBe(follower.id);
});
