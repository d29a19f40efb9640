/**
 * Alerts end to end on a real worker: a rule on failed sends with the admins' mail and a webhook
 * to a local receiver; the evaluation Schedule is triggered while the failure count is above the
 * threshold (one firing: one mail, one signed POST whose signature verifies, one `alert.triggered`
 * event), again while it stays there (nothing new), once it is back under (one resolution: one
 * mail, one POST) and once more (nothing). Then the routes: live values, history, bad input by
 * field, viewers refused, and tenant B's key on every route naming A's rule is a 404.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectJobId } from '../../activities/events';
import { systemEm } from '../../db/orm';
import { createEventsQueue } from '../../events/queue';
import { ReportsClient } from '../../temporal/reports';
import { verifySignature } from '../../webhooks/signature';
import { signedIn } from '../console-api/support';
import { createConsoleUser } from '../e2e/support/console';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { startReceiver, type Receiver } from '../webhooks/support';
import { createWebchatChannel } from '../widget/support';
import { eventually } from '../workflows/support/harness';

let stack: Stack;
let smtp: FakeSmtp;
let receiver: Receiver;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };
let admin: { email: string };
let conversationId: string;
let flowId: string;
let rule: { id: string; webhookSecret: string };
let scheduleId: string;
let reports: ReportsClient;

beforeAll(async () => {
  smtp = await startFakeSmtp();
  receiver = await startReceiver();
  stack = await startStack({ ...sharedServers(), env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
  [a, b] = [await stack.createTenant(), await stack.createTenant()];
  admin = await createConsoleUser(stack, a.apiKey, 'admin');
  const channel = await createWebchatChannel(stack, a.apiKey, receptionFlow);
  flowId = channel.flowId!;
  const conversation = await stack.request('POST', '/v1/conversations', { apiKey: a.apiKey, body: { flowId } });
  conversationId = conversation.body.id;
  reports = new ReportsClient(stack.temporal, stack.config.TEMPORAL_TASK_QUEUE);
  scheduleId = await reports.ensureAlertSchedule(3600);
});
afterAll(async () => {
  await stack?.temporal.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await stack?.close();
  await receiver?.close();
  await smtp?.close();
});

async function failedSend(): Promise<string> {
  const id = randomUUID();
  await systemEm(stack.orm)
    .getConnection()
    .execute(`insert into messages (id, tenant_id, conversation_id, direction, author, text, idempotency_key, status, error) values (?, ?, ?, 'out', 'bot', 'Hello', ?, 'failed', 'provider refused')`, [id, a.tenantId, conversationId, `alert-test-${id}`]);
  return id;
}

/** Triggers the evaluation Schedule and waits for the run it started to finish. */
async function evaluate(): Promise<void> {
  const handle = stack.temporal.schedule.getHandle(scheduleId);
  const before = (await handle.describe()).info.recentActions.length;
  await reports.triggerAlertEvaluation();
  const workflowId = await eventually(async () => {
    const actions = (await handle.describe()).info.recentActions;
    return actions.length > before ? actions.at(-1)!.action.workflow.workflowId : undefined;
  });
  await stack.temporal.workflow.getHandle(workflowId).result();
}

const events = async () => (await stack.request('GET', `/v1/alerts/events?ruleId=${rule.id}`, { apiKey: a.apiKey })).body.items;

describe('alert evaluation', () => {
  it('fires once and resolves once, each with one mail and one signed webhook', async () => {
    const created = await stack.request('POST', '/v1/alerts/rules', {
      apiKey: a.apiKey,
      body: { name: 'Sends failing', metric: 'failed_sends', comparison: 'gte', threshold: 2, windowMinutes: 60, webhookUrl: receiver.url, cooldownMinutes: 0 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.webhookSecret).toMatch(/^whsec_/);
    rule = created.body;

    const failed = [await failedSend()];
    let list = await stack.request('GET', '/v1/alerts/rules', { apiKey: a.apiKey });
    expect(list.body.items).toEqual([expect.objectContaining({ id: rule.id, currentValue: 1, firing: false })]);
    await evaluate();
    expect(await events()).toEqual([]);

    failed.push(await failedSend());
    await evaluate();
    const [firing] = await events();
    expect(firing).toMatchObject({ status: 'firing', value: 2, threshold: 2, resolvedAt: null });
    expect(firing.notified.triggered).toMatchObject({ email: expect.any(String), webhook: expect.any(String), event: expect.any(String) });
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelope.to).toEqual([admin.email.toLowerCase()]);
    expect(mail.subject).toBe('[Alert] Sends failing: 2');
    expect(mail.parsed.text).toContain('Failed sends ≥ 2 over the last 1 h');
    expect(receiver.received).toHaveLength(1);
    const hook = receiver.received[0];
    expect(verifySignature(rule.webhookSecret, String(hook.headers['switchboard-signature']), hook.body)).toBe(true);
    expect(verifySignature('whsec_wrong', String(hook.headers['switchboard-signature']), hook.body)).toBe(false);
    expect(hook.headers['switchboard-delivery-id']).toBe(`${firing.id}:triggered`);
    expect(hook.json).toMatchObject({ type: 'alert.triggered', tenantId: a.tenantId, data: { ruleId: rule.id, metric: 'failed_sends', value: 2, threshold: 2 } });
    // The platform event outbound webhook subscriptions receive.
    const redis = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = createEventsQueue(redis, stack.config.EVENTS_QUEUE_NAME);
    const job = await queue.getJob(subjectJobId(a.tenantId, 'alert.triggered', firing.id));
    expect(job?.data).toMatchObject({ tenantId: a.tenantId, type: 'alert.triggered', data: { alertEventId: firing.id } });
    await queue.close();
    await redis.quit();

    list = await stack.request('GET', '/v1/alerts/rules', { apiKey: a.apiKey });
    expect(list.body.items[0]).toMatchObject({ currentValue: 2, firing: true });

    // Still above: no new firing, no new notice.
    failed.push(await failedSend());
    await evaluate();
    expect(await events()).toHaveLength(1);
    expect((await events())[0].lastValue).toBe(3);
    expect(smtp.messages).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);

    // Back under the threshold: resolved once.
    await systemEm(stack.orm).getConnection().execute(`update messages set status = 'sent' where id in (?, ?)`, [failed[0], failed[1]]);
    await evaluate();
    const [resolved] = await events();
    expect(resolved).toMatchObject({ id: firing.id, status: 'resolved', resolvedValue: 1 });
    expect(resolved.notified.resolved).toMatchObject({ email: expect.any(String), webhook: expect.any(String) });
    const mails = await smtp.waitFor(2);
    expect(mails[1].subject).toBe('[Resolved] Sends failing: 1');
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].json).toMatchObject({ type: 'alert.resolved', data: { value: 1 } });
    expect(verifySignature(rule.webhookSecret, String(receiver.received[1].headers['switchboard-signature']), receiver.received[1].body)).toBe(true);

    await evaluate();
    expect(await events()).toHaveLength(1);
    expect(smtp.messages).toHaveLength(2);
    expect(receiver.received).toHaveLength(2);
  });

  it('a cooldown holds back a new firing right after the last one', async () => {
    const res = await stack.request('PATCH', `/v1/alerts/rules/${rule.id}`, { apiKey: a.apiKey, body: { cooldownMinutes: 60, threshold: 1 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await evaluate();
    expect(await events()).toHaveLength(1);
    expect(smtp.messages).toHaveLength(2);
  });
});

describe('alert routes', () => {
  it('refuse bad input by field and non-admins', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await stack.request('POST', '/v1/alerts/rules', { apiKey: a.apiKey, body: { name: 'x', metric: 'spend', comparison: 'gt', threshold: 1, windowMinutes: 60, ...body } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    };
    await bad({ metric: 'cpu' }, 'metric');
    await bad({ comparison: 'eq' }, 'comparison');
    await bad({ metric: 'handoff_rate', threshold: 5 }, 'threshold');
    await bad({ windowMinutes: 1 }, 'windowMinutes');
    await bad({ notifyAdmins: false }, 'notifyAdmins');
    await bad({ webhookUrl: 'ftp://example.com' }, 'webhookUrl');
    await bad({ channel: 'carrier-pigeon' }, 'channel');
    const viewer = await signedIn(stack, a.apiKey, 'viewer');
    expect((await viewer.request('GET', '/v1/alerts/rules')).status).toBe(403);
    expect((await viewer.request('GET', '/v1/alerts/events')).status).toBe(403);
    expect((await viewer.request('POST', '/v1/alerts/rules', { body: { name: 'x', metric: 'spend', comparison: 'gt', threshold: 1, windowMinutes: 60 } })).status).toBe(403);
  });

  it('keep every rule and firing to its tenant', async () => {
    const asB = (method: string, path: string, body?: unknown) => stack.request(method, path, { apiKey: b.apiKey, body });
    expect((await asB('GET', `/v1/alerts/rules/${rule.id}`)).status).toBe(404);
    expect((await asB('PATCH', `/v1/alerts/rules/${rule.id}`, { webhookUrl: 'https://evil.example/hook', rotateSecret: true })).status).toBe(404);
    expect((await asB('DELETE', `/v1/alerts/rules/${rule.id}`)).status).toBe(404);
    expect((await asB('GET', `/v1/alerts/events?ruleId=${rule.id}`)).status).toBe(404);
    expect((await asB('POST', '/v1/alerts/rules', { name: 'x', metric: 'spend', comparison: 'gt', threshold: 1, windowMinutes: 60, flowId })).status).toBe(404);
    expect(JSON.stringify((await asB('GET', '/v1/alerts/rules')).body)).not.toContain(rule.id);
    expect(JSON.stringify((await asB('GET', '/v1/alerts/events')).body)).not.toContain(rule.id);
    expect((await asB('PUT', '/v1/settings/reports', { enabled: true, userIds: [(await stack.request('GET', '/v1/users', { apiKey: a.apiKey })).body.items[0].id] })).status).toBe(404);
    // A's rule is untouched, and deleting it takes its history with it.
    expect((await stack.request('GET', `/v1/alerts/rules/${rule.id}`, { apiKey: a.apiKey })).body.webhookUrl).toBe(receiver.url);
    expect((await stack.request('DELETE', `/v1/alerts/rules/${rule.id}`, { apiKey: a.apiKey })).status).toBe(204);
    expect((await stack.request('GET', '/v1/alerts/events', { apiKey: a.apiKey })).body.items).toEqual([]);
  });
});
