/**
 * The weekly report end to end: rollup rows seeded by hand for the last 7 days, the 7 before and
 * earlier; `send-now` runs the `analyticsReport` workflow on a real worker, which mails through
 * the fake SMTP server — the figures in the text and HTML parts (campaign sends included) are the seeded ones. Then the
 * tenant's Schedule itself is triggered: its run mails the saved recipients once, and the same
 * scheduled run started again finds it sent and mails nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportScheduleId } from '../../core/ids';
import { Campaign } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { createConsoleUser } from '../e2e/support/console';
import { eventually } from '../workflows/support/harness';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let smtp: FakeSmtp;
let a: { tenantId: string; apiKey: string };

const DAY = 86_400_000;
const dayStart = (daysAgo: number) => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - daysAgo * DAY);

async function seedHour(tenantId: string, flowId: string, daysAgo: number, f: Record<string, number>) {
  const cols = Object.keys(f);
  await systemEm(stack.orm)
    .getConnection()
    .execute(`insert into analytics_hourly (tenant_id, hour, channel, flow_id, ${cols.join(', ')}) values (?, ?, 'webchat', ?, ${cols.map(() => '?').join(', ')})`, [
      tenantId,
      new Date(dayStart(daysAgo).getTime() + 10 * 3_600_000),
      flowId,
      ...Object.values(f),
    ]);
}

beforeAll(async () => {
  smtp = await startFakeSmtp();
  stack = await startStack({ ...sharedServers(), env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: 'Switchboard <reports@switchboard.test>' } });
  a = await stack.createTenant();
  const flow = await stack.request('POST', '/v1/flows', { apiKey: a.apiKey, body: { name: 'Support', graph: { nodes: [{ id: 'start', type: 'start', data: {} }], edges: [] } } });
  expect(flow.status, JSON.stringify(flow.body)).toBe(201);
  const flowId = flow.body.id as string;
  // This week (the 7 days before today): 20 conversations, 90 messages, 5 handoffs, 9 of 12 closes without a human, 80 s over 20 first responses, $2, 1 error.
  await seedHour(a.tenantId, flowId, 1, { conversations: 10, messages_in: 30, messages_out: 40, handoffs: 2, closed: 8, closed_without_human: 6, first_response_ms_sum: 50_000, first_response_count: 10, cost_usd: 1.25, errors: 1 });
  await seedHour(a.tenantId, flowId, 3, { conversations: 10, messages_in: 10, messages_out: 10, handoffs: 3, closed: 4, closed_without_human: 3, first_response_ms_sum: 30_000, first_response_count: 10, cost_usd: 0.75, errors: 0 });
  // The week before: 16 conversations, 40 messages, 8 handoffs, 5 of 10, 10 s, $4, 4 errors.
  await seedHour(a.tenantId, flowId, 10, { conversations: 16, messages_in: 20, messages_out: 20, handoffs: 8, closed: 10, closed_without_human: 5, first_response_ms_sum: 160_000, first_response_count: 16, cost_usd: 4, errors: 4 });
  // Older and today: in neither period.
  await seedHour(a.tenantId, flowId, 20, { conversations: 99 });
  await seedHour(a.tenantId, flowId, 0, { conversations: 77 });
  // Campaign sends: two sent and one failed this week, one sent the week before (not counted).
  const em = systemEm(stack.orm).fork();
  const campaign = em.create(Campaign, { tenant: a.tenantId, name: 'Spring sale', channels: ['email'] } as never) as Campaign;
  await em.flush();
  const sends: [string, 'sent_at' | 'failed_at', number][] = [['sent', 'sent_at', 1], ['sent', 'sent_at', 2], ['failed', 'failed_at', 2], ['sent', 'sent_at', 10]];
  for (const [i, [status, column, daysAgo]] of sends.entries()) {
    const contact = await stack.request('POST', '/v1/contacts', { apiKey: a.apiKey, body: { name: `Recipient ${i}`, email: `r${i}@example.com` } });
    await em.getConnection().execute(`insert into campaign_recipients (tenant_id, campaign_id, contact_id, idempotency_key, status, ${column}) values (?, ?, ?, ?, ?, ?)`, [
      a.tenantId,
      campaign.id,
      contact.body.id,
      `report-test-${i}`,
      status,
      new Date(dayStart(daysAgo).getTime() + 9 * 3_600_000),
    ]);
  }
});
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
});

const EXPECTED_LINES = [
  'Conversations: 20 (previous 16, +25%)',
  'Messages: 90 (previous 40, +125%)',
  'Resolution rate: 75.0% (previous 50.0%, +50%)',
  'Handoff rate: 25.0% (previous 50.0%, -50%)',
  'First response time: 4.0s (previous 10.0s, -60%)',
  'Cost: $2.00 (previous $4.00, -50%)',
  'Errors: 1 (previous 4, -75%)',
  '- Support: 20 conversations, handoff rate 25.0%',
  '- Spring sale: 2 sent, 1 failed',
];

describe('weekly report', () => {
  it('send-now mails the seeded figures, this week against the week before', async () => {
    const res = await stack.request('POST', '/v1/settings/reports/send-now', { apiKey: a.apiKey, body: { to: ['Preview@Example.com'] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ sentTo: ['preview@example.com'], skipped: null });
    expect(res.body.workflowId).toMatch(new RegExp(`^report:${a.tenantId}:now-`));
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelope.to).toEqual(['preview@example.com']);
    expect(mail.subject).toMatch(/^Weekly report for Tenant t-/);
    for (const line of EXPECTED_LINES) expect(mail.parsed.text).toContain(line);
    // Hours seeded outside both weeks (99 and 77 conversations) stay out; the title is skipped since
    // the tenant's random name can hold those digits.
    const figures = String(mail.parsed.text).split('\n').slice(1).join('\n');
    expect(figures).not.toMatch(/\b(99|77)\b/);
    const html = String(mail.parsed.html);
    for (const figure of ['>20<', '>16<', '>75.0%<', '>25.0%<', '>4.0s<', '>$2.00<', '>Support<', '+25%']) expect(html).toContain(figure);
    // Bars are inline-styled blocks: the larger of two values is the full width.
    expect(html).toContain('width:120px;background:#4f46e5');
    // The run is one of the tenant's runs.
    const run = await stack.request('GET', `/v1/runs/${encodeURIComponent(res.body.workflowId)}`, { apiKey: a.apiKey });
    expect(run.body).toMatchObject({ type: 'analyticsReport', status: 'completed' });
  });

  it('the Schedule’s run mails the saved recipients once per scheduled time', async () => {
    smtp.messages.length = 0;
    const user = await createConsoleUser(stack, a.apiKey, 'viewer');
    const put = await stack.request('PUT', '/v1/settings/reports', { apiKey: a.apiKey, body: { enabled: true, weekday: 'monday', hour: 7, userIds: [user.id], emails: ['owner@example.com'] } });
    expect(put.status).toBe(200);
    const schedule = stack.temporal.schedule.getHandle(reportScheduleId(a.tenantId));
    await schedule.trigger();
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelope.to.sort()).toEqual([user.email.toLowerCase(), 'owner@example.com'].sort());
    for (const line of EXPECTED_LINES) expect(mail.parsed.text).toContain(line);

    const workflowId = await eventually(async () => (await schedule.describe()).info.recentActions.at(-1)?.action.workflow.workflowId);
    expect(workflowId).toMatch(new RegExp(`^report:${a.tenantId}:weekly-`));
    const first = await stack.temporal.workflow.getHandle(workflowId).result();
    expect(first).toEqual({ sentTo: expect.arrayContaining(['owner@example.com']), skipped: null });
    const view = await stack.request('GET', '/v1/settings/reports', { apiKey: a.apiKey });
    expect(view.body.recentSends[0]).toMatchObject({ key: workflowId });
    expect(view.body.schedule.lastRunAt).not.toBeNull();

    // The same scheduled run again (a reset, a retried start): the send is recorded, nothing goes out.
    const again = await stack.temporal.workflow.start('analyticsReport', { workflowId, taskQueue: stack.config.TEMPORAL_TASK_QUEUE, args: [{ tenantId: a.tenantId }] });
    expect(await again.result()).toMatchObject({ skipped: 'already sent' });
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages).toHaveLength(1);

    // Turned off: a run the Schedule had already started sends nothing.
    await stack.request('PUT', '/v1/settings/reports', { apiKey: a.apiKey, body: { enabled: false, emails: ['owner@example.com'] } });
    const off = await stack.temporal.workflow.start('analyticsReport', { workflowId: `report:${a.tenantId}:weekly-late`, taskQueue: stack.config.TEMPORAL_TASK_QUEUE, args: [{ tenantId: a.tenantId }] });
    expect(await off.result()).toEqual({ sentTo: [], skipped: 'weekly reports are turned off' });
    expect(smtp.messages).toHaveLength(1);
  });

  it('send-now without recipients names the field', async () => {
    const b = await stack.createTenant();
    const res = await stack.request('POST', '/v1/settings/reports/send-now', { apiKey: b.apiKey, body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.field ?? JSON.stringify(res.body)).toContain('to');
  });
});
