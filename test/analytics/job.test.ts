/**
 * The repeatable rollup job (worker/analytics.ts) on a real Redis: started twice, as two worker
 * processes would, it keeps one scheduler per kind, and the rollups follow new messages without
 * anyone asking.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { closeQueueWorker } from '../../ingress/queue';
import { systemEm, type Orm } from '../../db/orm';
import { startAnalyticsRollups } from '../../worker/analytics';
import { testOrm } from '../db/fixtures';
import { waitUntil } from '../support/wait';
import { addConversation, addMessage, makeAnalyticsTenant, rollupRows } from './fixtures';

let orm: Orm;
const connections: Redis[] = [];
let runners: Awaited<ReturnType<typeof startAnalyticsRollups>>[] = [];
const config = { ANALYTICS_REFRESH_SECONDS: 1, ANALYTICS_RECENT_HOURS: 2, ANALYTICS_SETTLE_HOURS: 24, ANALYTICS_QUEUE_NAME: `analytics-${randomBytes(4).toString('hex')}` };

beforeAll(async () => {
  orm = await testOrm();
  for (let i = 0; i < 2; i++) {
    const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    connections.push(connection);
    runners.push(await startAnalyticsRollups({ connection, orm, config, log: () => undefined }));
  }
});
afterAll(async () => {
  for (const r of runners) await r.close(closeQueueWorker);
  await runners[0]?.queue.obliterate({ force: true }).catch(() => undefined);
  await Promise.allSettled(connections.map((c) => c.quit()));
  await orm.close(true);
});

it('keeps one scheduler per kind however many workers start it', async () => {
  const schedulers = await runners[0].queue.getJobSchedulers();
  expect(schedulers.map((s) => s.key).sort()).toEqual(['analytics-recent', 'analytics-settle']);
  expect(schedulers.find((s) => s.key === 'analytics-recent')?.every).toBe(1000);
});

it('refreshes the current hour after new messages, with no page view asking', async () => {
  const t = await makeAnalyticsTenant(orm);
  const exec = (sql: string, params: unknown[]) => systemEm(orm).getConnection().execute(sql, params, 'run');
  const now = () => new Date();
  const conversationId = await addConversation(exec, { tenantId: t.tenantId, flowId: t.support, channel: 'webchat', createdAt: now() });
  await addMessage(exec, { tenantId: t.tenantId, conversationId, direction: 'in', author: 'contact', at: now() });
  // Summed over the tenant's rows: a test that runs across an hour's end has two.
  const total = async (column: string) => (await rollupRows(orm, t.tenantId)).reduce((n, r) => n + Number((r as Record<string, unknown>)[column]), 0);
  await waitUntil(async () => (await total('messages_in')) === 1, 20_000, 'the first message rolled up');
  expect(await total('conversations')).toBe(1);
  expect(await total('messages_out')).toBe(0);
  expect((await rollupRows(orm, t.tenantId))[0]).toMatchObject({ channel: 'webchat', flow_id: t.support });

  await addMessage(exec, { tenantId: t.tenantId, conversationId, direction: 'out', author: 'bot', at: now(), promptTokens: 40, completionTokens: 8 });
  await waitUntil(async () => (await total('messages_out')) === 1, 20_000, 'the reply rolled up');
  expect(await total('prompt_tokens')).toBe(40);
  expect(await total('first_response_count')).toBe(1);
});
