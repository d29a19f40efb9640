/** The `campaign` workflow's life on the time-skipping server with fake activities: updates answered with the state, refusals, the schedule timer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CampaignClient } from '../../temporal/campaigns';
import { createFakes } from './support/fakes';
import { fakeCampaigns } from './support/campaign-fakes';
import { startTimeSkipping, type TimeSkipping } from './support/time-skipping';

let server: TimeSkipping;
let campaigns: CampaignClient;
const fakes = createFakes();

beforeAll(async () => {
  server = await startTimeSkipping('campaign', fakes);
  campaigns = new CampaignClient(server.env.client, server.taskQueue);
});
afterAll(() => server?.close());

describe('campaign workflow: approval and schedule', () => {
  it('moves draft → awaiting approval → scheduled, refuses a marketer approving and a second submit, and cancels', async () => {
    const id = randomUUID();
    fakeCampaigns.set(id, { status: 'draft', sendAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), ratePerSecond: {} });
    await campaigns.startCampaign('t1', id);
    // a second start (retried create) keeps the run
    await campaigns.startCampaign('t1', id);

    const submitted = await campaigns.campaignUpdate('t1', id, 'submit', { by: 'u-marketer' });
    expect(submitted.status).toBe('awaiting_approval');
    await expect(campaigns.campaignUpdate('t1', id, 'submit', { by: 'u-marketer' })).rejects.toMatchObject({ code: 'conflict', message: /cannot submit a campaign that is awaiting approval/ });
    await expect(campaigns.campaignUpdate('t1', id, 'approve', { by: 'u-marketer', role: 'marketer' })).rejects.toMatchObject({ code: 'conflict', message: /approver/ });
    await expect(campaigns.campaignUpdate('t1', id, 'requestChanges', { by: 'u-approver', comment: ' ' })).rejects.toMatchObject({ message: /comment is required/ });

    const approved = await campaigns.campaignUpdate('t1', id, 'approve', { by: 'u-approver', role: 'approver' });
    expect(approved).toMatchObject({ status: 'scheduled', sendAt: fakeCampaigns.get(id)!.sendAt });
    const paused = await campaigns.campaignUpdate('t1', id, 'pause', { by: 'u-approver' });
    expect(paused).toMatchObject({ status: 'paused', paused: true });
    expect((await campaigns.campaignUpdate('t1', id, 'resume', { by: 'u-approver' })).status).toBe('scheduled');
    expect((await campaigns.campaignUpdate('t1', id, 'changeRate', { by: 'u-approver', ratePerSecond: { sms: 5 } })).status).toBe('scheduled');
    await expect(campaigns.campaignUpdate('t1', id, 'changeRate', { by: 'u-approver', ratePerSecond: { sms: -1 } })).rejects.toMatchObject({ message: /ratePerSecond/ });
    expect((await campaigns.campaignProgress('t1', id))?.status).toBe('scheduled');

    const cancelled = await campaigns.campaignUpdate('t1', id, 'cancel', { by: 'u-approver' });
    expect(cancelled.status).toBe('cancelled');
    const result = await server.env.client.workflow.getHandle(`camp:t1:${id}`).result();
    expect(result.status).toBe('cancelled');
    await expect(campaigns.campaignUpdate('t1', id, 'resume', { by: 'u-approver' })).rejects.toMatchObject({ code: 'conflict' });
    // the finished run still answers with its last state
    expect((await campaigns.campaignProgress('t1', id))?.status).toBe('cancelled');
    const actions = fakes.of(`camp:t1:${id}`, 'transitionCampaign').map((c) => c.input.action);
    expect(actions).toEqual(['submit', 'approve', 'pause', 'resume', 'changeRate', 'cancel']);
  });

  it('refuses an action queued behind its own completion with a 409, without failing the run', async () => {
    const id = randomUUID();
    let reached!: () => void;
    let release!: () => void;
    const completing = new Promise<void>((resolve) => (reached = resolve));
    fakeCampaigns.set(id, { status: 'draft', sendAt: null, ratePerSecond: {}, holdComplete: { reached: () => reached(), release: new Promise((resolve) => (release = resolve)) } });
    await campaigns.startCampaign('t1', id);
    await campaigns.campaignUpdate('t1', id, 'submit', { by: 'u1' });
    await campaigns.campaignUpdate('t1', id, 'approve', { by: 'u2', role: 'approver' });
    // An empty audience: the run completes at once; the cancel passes the validator (still sending)
    // and waits behind the completion, then finds the campaign over.
    await completing;
    const cancel = campaigns.campaignUpdate('t1', id, 'cancel', { by: 'u2' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await expect(cancel).rejects.toMatchObject({ code: 'conflict', message: /cannot cancel a campaign that is completed/ });
    expect((await server.env.client.workflow.getHandle(`camp:t1:${id}`).result()).status).toBe('completed');
  }, 30_000);

  it('sends changes back with the comment, then is submitted again', async () => {
    const id = randomUUID();
    await campaigns.startCampaign('t1', id);
    const generated = await campaigns.campaignUpdate('t1', id, 'generate', { channelsOnly: ['sms'] });
    expect(generated.variants[0]?.generatedBy).toBe('template-writer');
    expect((await campaigns.campaignProgress('t1', id))?.status).toBe('draft');
    await campaigns.campaignUpdate('t1', id, 'submit', { by: 'u1' });
    const back = await campaigns.campaignUpdate('t1', id, 'requestChanges', { by: 'u2', comment: 'Say the date' });
    expect(back.status).toBe('changes_requested');
    expect(fakes.of(`camp:t1:${id}`, 'transitionCampaign').at(-1)?.input).toMatchObject({ action: 'requestChanges', comment: 'Say the date', by: 'u2' });
    expect((await campaigns.campaignUpdate('t1', id, 'submit', { by: 'u1' })).status).toBe('awaiting_approval');
    await expect(campaigns.campaignUpdate('t1', id, 'generate', {})).rejects.toMatchObject({ message: /cannot generate a campaign that is awaiting approval/ });
    await campaigns.campaignUpdate('t1', id, 'cancel', { by: 'u1' });
  });

  it('sends every recipient once across continue-as-new runs, with a bounded history per run', async () => {
    const id = randomUUID();
    fakeCampaigns.set(id, { status: 'draft', sendAt: null, ratePerSecond: { sms: 1 }, audience: 1200 });
    await campaigns.startCampaign('t1', id);
    await campaigns.campaignUpdate('t1', id, 'submit', { by: 'u1' });
    await campaigns.campaignUpdate('t1', id, 'approve', { by: 'u2', role: 'admin' });
    const handle = server.env.client.workflow.getHandle(`camp:t1:${id}`);
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', targeted: 1200, sent: 1200 - Math.floor(1200 / 7), pending: 0 });
    expect(result.skipped.no_consent).toBe(Math.floor(1200 / 7));
    const sends = fakeCampaigns.get(id)!.sends!;
    expect(sends.filter((n) => n !== undefined && n !== 1)).toEqual([]);
    // three recipients a page at 1/s: ~340 pages, more than one run's worth of history
    const last = await handle.describe();
    expect(last.historyLength).toBeLessThan(2200);
    expect(last.raw.workflowExecutionInfo?.firstRunId).not.toBe(last.runId);
    expect(fakes.of(`camp:t1:${id}`, 'sendCampaignPage').length).toBeGreaterThan(300);
    expect(fakes.of(`camp:t1:${id}`, 'loadCampaign')).toHaveLength(1);
  });

  it('A/B: tests a share, waits, sends the winner to the held rest', async () => {
    const id = randomUUID();
    fakeCampaigns.set(id, { status: 'draft', sendAt: null, ratePerSecond: {}, audience: 300, abSharePercent: 20, abWaitMinutes: 120 });
    await campaigns.startCampaign('t1', id);
    await campaigns.campaignUpdate('t1', id, 'submit', { by: 'u1' });
    await campaigns.campaignUpdate('t1', id, 'approve', { by: 'u2', role: 'approver' });
    const result = await server.env.client.workflow.getHandle(`camp:t1:${id}`).result();
    expect(result).toMatchObject({ status: 'completed', winnerVariant: 'B', pending: 0 });
    const calls = fakes.of(`camp:t1:${id}`).map((c) => c.name);
    expect(calls.indexOf('decideCampaignWinner')).toBeGreaterThan(calls.indexOf('sendCampaignPage'));
    const rows = fakeCampaigns.get(id)!.rows!;
    expect(rows.filter((r) => r.status === 'sent' && r.variant === 'B').length).toBeGreaterThan(rows.filter((r) => r.status === 'sent' && r.variant === 'A').length);
    expect(fakeCampaigns.get(id)!.sends!.filter((n) => n !== undefined && n !== 1)).toEqual([]);
  });
});
