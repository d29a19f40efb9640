/**
 * The retention run on the real Temporal dev server with the real activities and PostgreSQL:
 * three tenants with the same rows of every kind at chosen ages, two with different policies (set
 * through the API) and one without; the run (small batches, so it continues as new) deletes
 * exactly the rows past each cutoff, row by row, keeps open conversations' recent threads, writes
 * one audit entry per tenant, and a second run deletes nothing. The daily schedule is the task
 * queue's, created once however often the worker starts, and a triggered run completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_RETENTION_SCHEDULE_ID, retentionScheduleId, retentionWorkflowId } from '../../core/ids';
import { systemEm } from '../../db/orm';
import { deleteExpiredBatch } from '../../db/repos';
import { RetentionClient } from '../../temporal/retention';
import { describeScheduleIfAny } from '../../temporal/schedules';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../workflows/support/harness';
import * as f from './fixtures';

let stack: Stack;
const tenants: Record<'a' | 'b' | 'c', { tenantId: string; apiKey: string }> = {} as never;

async function seed(tenantId: string) {
  const exec = f.execOf(stack.orm);
  const s = await f.baseRows(exec, tenantId);
  await f.conversation(exec, s, 'closed-old', { status: 'closed', lastMessageDaysAgo: 100, messageAges: [100, 95] });
  await f.conversation(exec, s, 'closed-mid', { status: 'closed', lastMessageDaysAgo: 40, messageAges: [45, 40] });
  const active = await f.conversation(exec, s, 'open-active', { status: 'bot', lastMessageDaysAgo: 1, messageAges: [120, 50, 1] });
  await f.conversation(exec, s, 'open-idle', { status: 'human', lastMessageDaysAgo: 60, messageAges: [60] });
  await f.conversation(exec, s, 'closed-recent', { status: 'closed', lastMessageDaysAgo: 2, messageAges: [35, 2] });
  await f.inbound(exec, s, 'in-old', 40);
  await f.inbound(exec, s, 'in-old-pending', 40, 'pending');
  // Past a 1-day policy, but inside the week redeliveries are recognised by.
  await f.inbound(exec, s, 'in-5d', 5);
  await f.media(exec, s, null, 'm-old', 40);
  await f.media(exec, s, active, 'm-old-active', 40);
  await f.media(exec, s, null, 'm-recent', 5);
  const kb = await f.knowledgeBase(exec, s);
  await f.document(exec, s, kb, 'doc-old', 70);
  await f.document(exec, s, kb, 'doc-old-processing', 70, 'processing');
  await f.document(exec, s, kb, 'doc-mid', 40);
  const sub = await f.subscription(exec, s);
  const eOld = await f.event(exec, s, 'e-old', 40);
  const eMid = await f.event(exec, s, 'e-mid', 10);
  await f.event(exec, s, 'e-new', 1);
  await f.delivery(exec, s, sub, eOld, 'd-old-succeeded', 40, 'succeeded');
  await f.delivery(exec, s, sub, eOld, 'd-old-pending', 40, 'pending');
  await f.delivery(exec, s, sub, eMid, 'd-mid-dead', 10, 'dead');
}

/** What is left of a tenant, by label. */
async function left(tenantId: string) {
  const exec = f.execOf(stack.orm);
  const col = async (sql: string) => (await exec(sql, [tenantId])).map((r) => String(r.v)).sort();
  return {
    messages: await col(`select text as v from messages where tenant_id = ?`),
    conversations: await col(`select variables->>'label' as v from conversations where tenant_id = ?`),
    inbound: await col(`select external_id as v from inbound_messages where tenant_id = ?`),
    media: await col(`select ref as v from media_assets where tenant_id = ?`),
    documents: await col(`select name as v from documents where tenant_id = ?`),
    chunks: await col(`select text as v from chunks where tenant_id = ?`),
    events: await col(`select data->>'label' as v from events where tenant_id = ?`),
    deliveries: await col(`select payload->>'label' as v from webhook_deliveries where tenant_id = ?`),
    attempts: (await exec(`select count(*)::int as n from webhook_attempts where tenant_id = ?`, [tenantId]))[0]!.n,
  };
}

const ALL = {
  messages: ['closed-mid:40d', 'closed-mid:45d', 'closed-old:100d', 'closed-old:95d', 'closed-recent:2d', 'closed-recent:35d', 'open-active:120d', 'open-active:1d', 'open-active:50d', 'open-idle:60d'],
  conversations: ['closed-mid', 'closed-old', 'closed-recent', 'open-active', 'open-idle'],
  inbound: ['in-5d', 'in-old', 'in-old-pending'],
  media: ['m-old', 'm-old-active', 'm-recent'],
  documents: ['doc-mid', 'doc-old', 'doc-old-processing'],
  chunks: ['doc-mid', 'doc-old', 'doc-old-processing'],
  events: ['e-mid', 'e-new', 'e-old'],
  deliveries: ['d-mid-dead', 'd-old-pending', 'd-old-succeeded'],
  attempts: 3,
};

beforeAll(async () => {
  stack = await startStack(sharedServers());
  for (const k of ['a', 'b', 'c'] as const) {
    tenants[k] = await stack.createTenant();
    await seed(tenants[k].tenantId);
  }
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('retention settings', () => {
  it('reads null (for ever) until set, merges a partial PUT, and refuses bad days naming the field', async () => {
    const { apiKey } = tenants.a;
    expect((await stack.request('GET', '/v1/settings/retention', { apiKey })).body).toEqual({ messages: null, media: null, documents: null, events: null });
    expect((await stack.request('PUT', '/v1/settings/retention', { apiKey, body: { messages: 30, media: 30, documents: 60 } })).body).toEqual({ messages: 30, media: 30, documents: 60, events: null });
    expect((await stack.request('PUT', '/v1/settings/retention', { apiKey, body: { events: 7 } })).body).toEqual({ messages: 30, media: 30, documents: 60, events: 7 });
    for (const body of [{ messages: 0 }, { media: 1.5 }, { events: '30' }, { forever: 1 }]) {
      const res = await stack.request('PUT', '/v1/settings/retention', { apiKey, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await stack.request('PUT', '/v1/settings/retention', { apiKey: tenants.b.apiKey, body: { messages: 90, events: 30 } })).status).toBe(200);
    // Each tenant sees its own policy only.
    expect((await stack.request('GET', '/v1/settings/retention', { apiKey: tenants.b.apiKey })).body).toEqual({ messages: 90, media: null, documents: null, events: 30 });
    expect((await stack.request('GET', '/v1/settings/retention', { apiKey: tenants.c.apiKey })).body.messages).toBeNull();
  });
});

describe('the retention run', () => {
  it('deletes exactly what is past each tenant’s cutoffs, continuing as new, and audits each tenant', async () => {
    const tenantIds = Object.values(tenants).map((t) => t.tenantId);
    const result = await new RetentionClient(stack.temporal, stack.config.TEMPORAL_TASK_QUEUE).runNow({ tenantIds, batchSize: 2, batchesPerRun: 4 });
    expect(result.tenants).toBe(2);

    expect(await left(tenants.a.tenantId)).toEqual({
      // 30 days: closed and idle conversations lose old messages; the active one keeps its whole thread.
      messages: ['closed-recent:2d', 'open-active:120d', 'open-active:1d', 'open-active:50d'],
      // Emptied closed conversations go; the idle open one stays without messages.
      conversations: ['closed-recent', 'open-active', 'open-idle'],
      inbound: ['in-5d', 'in-old-pending'],
      media: ['m-old-active', 'm-recent'],
      documents: ['doc-mid', 'doc-old-processing'],
      chunks: ['doc-mid', 'doc-old-processing'],
      events: ['e-new'],
      deliveries: ['d-old-pending'],
      attempts: 1,
    });
    expect(await left(tenants.b.tenantId)).toEqual({
      ...ALL,
      messages: ['closed-mid:40d', 'closed-mid:45d', 'closed-recent:2d', 'closed-recent:35d', 'open-active:120d', 'open-active:1d', 'open-active:50d', 'open-idle:60d'],
      conversations: ['closed-mid', 'closed-recent', 'open-active', 'open-idle'],
      events: ['e-mid', 'e-new'],
      deliveries: ['d-mid-dead', 'd-old-pending'],
      attempts: 2,
    });
    expect(await left(tenants.c.tenantId)).toEqual(ALL);

    const byTenant = Object.fromEntries(result.done.map((d) => [d.tenantId, d.counts]));
    expect(byTenant[tenants.a.tenantId]).toEqual({ messages: 6, conversations: 2, inbound_messages: 1, media_assets: 1, documents: 1, events: 2, webhook_deliveries: 2 });
    expect(byTenant[tenants.b.tenantId]).toEqual({ messages: 2, conversations: 1, inbound_messages: 0, events: 1, webhook_deliveries: 1 });

    // Batches of 2, 4 per run: the run continued as new at least once.
    const runs = [];
    for await (const r of stack.temporal.workflow.list({ query: `WorkflowType = 'retention'` })) runs.push(r);
    expect(runs.filter((r) => r.workflowId.startsWith(`${retentionWorkflowId(stack.config.TEMPORAL_TASK_QUEUE)}-now-`)).length).toBeGreaterThan(1);

    const audit = (await f.execOf(stack.orm)(`select tenant_id, actor_kind, action, target_id, changes from audit_log where action = 'retention.run' and tenant_id = any(?::uuid[])`, [`{${tenantIds.join(',')}}`])) as {
      tenant_id: string;
      actor_kind: string;
      changes: { path: string; after: unknown }[];
    }[];
    expect(audit.map((e) => e.tenant_id).sort()).toEqual([tenants.a.tenantId, tenants.b.tenantId].sort());
    const aEntry = audit.find((e) => e.tenant_id === tenants.a.tenantId)!;
    expect(aEntry.actor_kind).toBe('system');
    expect(aEntry.changes).toContainEqual({ path: 'deleted.messages', after: 6 });
    expect(aEntry.changes).toContainEqual({ path: 'policy.documents', after: 60 });
    // The audit-log API shows it to the tenant's admins.
    const listed = await stack.request('GET', '/v1/audit-log?action=retention.run', { apiKey: tenants.a.apiKey });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);

    // A second run finds nothing left to delete.
    const again = await new RetentionClient(stack.temporal, stack.config.TEMPORAL_TASK_QUEUE).runNow({ tenantIds });
    for (const d of again.done) expect(Object.values(d.counts).every((n) => n === 0)).toBe(true);
    expect((await left(tenants.b.tenantId)).messages).toHaveLength(8);
  }, 120_000);
});

describe('recorded provider webhooks', () => {
  it('stay a week whatever the cutoff, so a redelivery is still recognised', async () => {
    const { tenantId } = tenants.c;
    await deleteExpiredBatch(systemEm(stack.orm), { tenantId, kind: 'messages', cutoff: new Date().toISOString(), limit: 1000 });
    expect((await left(tenantId)).inbound).toEqual(['in-5d', 'in-old-pending']);
  });
});

describe('the daily schedule', () => {
  /** The namespace's one schedule of earlier versions, starting runs on `taskQueue`. */
  const legacySchedule = (taskQueue: string) =>
    stack.temporal.schedule.create({
      scheduleId: LEGACY_RETENTION_SCHEDULE_ID,
      spec: { calendars: [{ hour: 3, minute: 0 }] },
      action: { type: 'startWorkflow', workflowType: 'retention', workflowId: 'retention:all:daily', taskQueue, args: [{}] },
    });

  it("is the task queue's, created once however often the worker starts, and a triggered run completes", async () => {
    const queue = stack.config.TEMPORAL_TASK_QUEUE;
    const client = new RetentionClient(stack.temporal, queue);
    // An upgraded deployment: the old schedule ran this queue's retention, and goes.
    await legacySchedule(queue);
    expect(await client.ensureSchedule(3)).toBe('created');
    expect(await describeScheduleIfAny(stack.temporal, LEGACY_RETENTION_SCHEDULE_ID)).toBeNull();
    // Another deployment's old schedule (another queue) is not this worker's to delete.
    const other = await legacySchedule(`${queue}-other`);
    try {
      expect(await client.ensureSchedule(4)).toBe('updated');
      expect(await describeScheduleIfAny(stack.temporal, LEGACY_RETENTION_SCHEDULE_ID)).not.toBeNull();
    } finally {
      await other.delete();
    }
    const ids = [];
    for await (const s of stack.temporal.schedule.list()) ids.push(s.scheduleId);
    expect(ids.filter((id) => id === retentionScheduleId(queue))).toHaveLength(1);
    const handle = stack.temporal.schedule.getHandle(retentionScheduleId(queue));
    const described = await handle.describe();
    expect(described.action.type).toBe('startWorkflow');
    expect(described.action.type === 'startWorkflow' && described.action.workflowType).toBe('retention');
    expect(JSON.stringify(described.spec.calendars?.[0]?.hour)).toContain('4');
    await handle.trigger();
    const run = await eventually(async () => {
      for await (const r of stack.temporal.workflow.list({ query: `WorkflowType = 'retention' AND ExecutionStatus = 'Completed'` })) if (r.workflowId.startsWith(`${retentionWorkflowId(queue)}-`) && !r.workflowId.includes('-now-')) return r;
      return undefined;
    }, 30_000);
    expect(run.status.name).toBe('COMPLETED');
    await handle.delete();
  }, 60_000);
});
