/**
 * The weekly report's Temporal Schedule on the real dev server: created by the first PUT with a
 * calendar spec in the workspace's zone, updated by later PUTs and by a timezone change, paused
 * when reports are turned off, deleted with the settings; brought back idempotently at worker start
 * (worker/schedules.ts), with the alert evaluation's interval Schedule. Also: bad input names its
 * field, only admins may change the settings, and another tenant's users are not recipients.
 */
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportScheduleId } from '../../core/ids';
import { signedIn } from '../console-api/support';
import { createConsoleUser } from '../e2e/support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ensureReportAndAlertSchedules } from '../../worker/schedules';

let stack: Stack;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  [a, b] = [await stack.createTenant(), await stack.createTenant()];
});
afterAll(async () => {
  await stack?.close();
});

const describeSchedule = (tenantId: string) => stack.temporal.schedule.getHandle(reportScheduleId(tenantId)).describe();

describe('report schedule', () => {
  it('is created, updated, paused and deleted as the settings change', async () => {
    const user = await createConsoleUser(stack, a.apiKey, 'viewer');
    expect((await stack.request('PUT', '/v1/settings/timezone', { apiKey: a.apiKey, body: { timezone: 'Europe/Paris' } })).status).toBe(200);
    const put = await stack.request('PUT', '/v1/settings/reports', { apiKey: a.apiKey, body: { enabled: true, weekday: 'monday', hour: 8, userIds: [user.id], emails: ['Owner@Example.com'] } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ enabled: true, weekday: 'monday', hour: 8, userIds: [user.id], emails: ['owner@example.com'], timezone: 'Europe/Paris' });
    expect(put.body.schedule).toMatchObject({ scheduleId: reportScheduleId(a.tenantId), paused: false, timezone: 'Europe/Paris' });
    // The next run is a Monday at 08:00 in Paris.
    const next = new Date(put.body.schedule.nextRuns[0]);
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    expect(paris).toBe('Monday 08:00');

    let d = await describeSchedule(a.tenantId);
    expect(d.spec.timezone).toBe('Europe/Paris');
    expect(d.spec.calendars).toEqual([expect.objectContaining({ dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }], hour: [{ start: 8, end: 8, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'analyticsReport', workflowId: `report:${a.tenantId}:weekly`, args: [{ tenantId: a.tenantId }] });
    expect(d.state.paused).toBe(false);

    // A new day and hour, then a new zone: the same Schedule, updated.
    expect((await stack.request('PUT', '/v1/settings/reports', { apiKey: a.apiKey, body: { enabled: true, weekday: 'friday', hour: 17, emails: ['owner@example.com'] } })).status).toBe(200);
    expect((await stack.request('PUT', '/v1/settings/timezone', { apiKey: a.apiKey, body: { timezone: 'America/New_York' } })).status).toBe(200);
    d = await describeSchedule(a.tenantId);
    expect(d.spec.timezone).toBe('America/New_York');
    expect(d.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'FRIDAY', end: 'FRIDAY', step: 1 }], hour: [{ start: 17, end: 17, step: 1 }] });
    const ny = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', weekday: 'long', hour: '2-digit', hourCycle: 'h23' }).format(d.info.nextActionTimes[0]);
    expect(ny).toBe('Friday, 17');

    // Off: paused, not deleted (its history and next times stay visible).
    const off = await stack.request('PUT', '/v1/settings/reports', { apiKey: a.apiKey, body: { enabled: false, weekday: 'friday', hour: 17, emails: ['owner@example.com'] } });
    expect(off.body.schedule).toMatchObject({ paused: true, nextRuns: [] });
    expect((await describeSchedule(a.tenantId)).state.paused).toBe(true);

    expect((await stack.request('DELETE', '/v1/settings/reports', { apiKey: a.apiKey })).status).toBe(204);
    await expect(describeSchedule(a.tenantId)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    const after = await stack.request('GET', '/v1/settings/reports', { apiKey: a.apiKey });
    expect(after.body).toMatchObject({ enabled: false, schedule: null });
  });

  it('is brought back idempotently at worker start, with the alert evaluation schedule', async () => {
    expect((await stack.request('PUT', '/v1/settings/reports', { apiKey: b.apiKey, body: { enabled: true, weekday: 'tuesday', hour: 6, emails: ['b@example.com'] } })).status).toBe(200);
    // The dev server lost it (a reset, a new namespace): the next worker start creates it again.
    await stack.temporal.schedule.getHandle(reportScheduleId(b.tenantId)).delete();
    const config = { TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE, ALERT_EVALUATION_SECONDS: 120 };
    const first = await ensureReportAndAlertSchedules({ orm: stack.orm, client: stack.temporal, config });
    const second = await ensureReportAndAlertSchedules({ orm: stack.orm, client: stack.temporal, config: { ...config, ALERT_EVALUATION_SECONDS: 60 } });
    expect(first.alertScheduleId).toBe(second.alertScheduleId);
    expect(first.reportSchedules).toBeGreaterThanOrEqual(1);
    const d = await describeSchedule(b.tenantId);
    expect(d.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'TUESDAY', end: 'TUESDAY', step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] });
    expect(d.spec.timezone ?? 'UTC').toBe('UTC');
    const alerts = await stack.temporal.schedule.getHandle(first.alertScheduleId).describe();
    expect(alerts.action).toMatchObject({ workflowType: 'alertEvaluation', taskQueue: stack.config.TEMPORAL_TASK_QUEUE });
    // The second start updated the interval in place.
    expect(alerts.spec.intervals).toEqual([expect.objectContaining({ every: 60_000 })]);
    expect(alerts.policies.overlap).toBe('SKIP');
    await stack.temporal.schedule.getHandle(first.alertScheduleId).delete();
  });

  it('refuses bad input by field, non-admins, and another tenant’s users', async () => {
    const bad = async (body: unknown, field: string, status = 400) => {
      const res = await stack.request('PUT', '/v1/settings/reports', { apiKey: a.apiKey, body });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(JSON.stringify(res.body)).toContain(field);
    };
    await bad({ enabled: true, weekday: 'someday', emails: ['a@example.com'] }, 'weekday');
    await bad({ enabled: true, hour: 24, emails: ['a@example.com'] }, 'hour');
    await bad({ enabled: true, emails: ['not an address'] }, 'emails');
    await bad({ enabled: true }, 'userIds');
    const foreign = await createConsoleUser(stack, b.apiKey, 'admin');
    await bad({ enabled: true, userIds: [foreign.id] }, 'userIds', 404);
    const client = await signedIn(stack, a.apiKey, 'viewer');
    expect((await client.request('PUT', '/v1/settings/reports', { body: { enabled: false } })).status).toBe(403);
    expect((await client.request('GET', '/v1/settings/reports')).status).toBe(403);
  });
});
