/**
 * The `calendarSync` workflow's own decisions, with fake activities on a real Temporal dev server:
 * a deletion is signalled to a running appointment workflow (and not cancelled directly), reported
 * once per run however often the sync repeats it; a sync that failed waits, and `syncNow` cuts the
 * wait short; the loop continues as new when the server suggests it, still syncing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CalendarSyncInput, CalendarSyncResult } from '../../core/calendar-sync';
import { appointmentWorkflowId, calendarSyncWorkflowId } from '../../core/ids';
import { startLocalTestServer } from '../../temporal/test-server';
import type { calendarSync } from '../../workflows/calendarSync';
import { calendarSyncProgressQuery } from '../../workflows/messages';
import { eventually, startHarness, type Harness } from '../workflows/support/harness';

let env: TestWorkflowEnvironment;
let h: Harness;
beforeAll(async () => {
  env = await startLocalTestServer({ 'limit.historyCount.suggestContinueAsNew': 40 });
  h = await startHarness(env.connection.options.address, 'calsync');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

const none: CalendarSyncResult = { stop: false, busy: 0, pushed: 0, removed: 0, deleted: [], error: null };
const start = (staffId: string, intervalSeconds = 3600) => {
  const input: CalendarSyncInput = { tenantId: 't1', staffId, intervalSeconds, windowDays: 90 };
  return h.client.workflow.start<typeof calendarSync>('calendarSync', { workflowId: calendarSyncWorkflowId(input.tenantId, staffId), taskQueue: h.taskQueue, args: [input] });
};
const syncsOf = (staffId: string) => h.client.workflow.getHandle(calendarSyncWorkflowId('t1', staffId)).query(calendarSyncProgressQuery);

describe('calendarSync', () => {
  it('signals calendarDeleted to a running appointment workflow, once per run, and cancels nothing itself', async () => {
    // Stands in for the booking's appointment workflow: any workflow running under its id takes the signal.
    const appointmentId = '0d9c1f3e-5a7b-4c2d-8e6f-1a2b3c4d5e6f';
    const standIn = await h.client.workflow.start<typeof calendarSync>('calendarSync', {
      workflowId: appointmentWorkflowId('t1', appointmentId),
      taskQueue: h.taskQueue,
      args: [{ tenantId: 't1', staffId: 'stand-in', intervalSeconds: 3600, windowDays: 1 }],
    });
    const deleted = [{ appointmentId, workflowId: appointmentWorkflowId('t1', appointmentId) }];
    let syncs = 0;
    const cancelled: string[] = [];
    h.fakes.impl.syncStaffCalendar = async ({ staffId }) => (staffId === 'stand-in' ? none : ++syncs <= 2 ? { ...none, deleted } : { ...none, stop: true });
    h.fakes.impl.cancelDeletedAppointment = async ({ appointmentId: id }) => void cancelled.push(id);

    const handle = await start('s-signal', 0.2);
    await handle.result();
    expect(syncs).toBe(3);
    expect(cancelled).toEqual([]);
    const signalled = (await standIn.fetchHistory()).events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'calendarDeleted');
    expect(signalled).toHaveLength(1);
    await standIn.terminate();
  });

  it('after a failed sync it waits, and syncNow starts the next sync at once', async () => {
    let calls = 0;
    h.fakes.impl.syncStaffCalendar = async () => {
      calls++;
      if (calls === 1) throw ApplicationFailure.nonRetryable('database away', 'Unavailable');
      return none;
    };
    const handle = await start('s-failed');
    await eventually(async () => (calls === 1 ? true : undefined));
    expect((await syncsOf('s-failed')).syncs).toBe(0);
    await handle.signal('syncNow');
    const progress = await eventually(async () => {
      const p = await syncsOf('s-failed');
      return p.syncs === 1 ? p : undefined;
    });
    expect(progress.last).toEqual(none);
    await handle.cancel();
  });

  it('continues as new when the server suggests it, and keeps syncing', async () => {
    h.fakes.impl.syncStaffCalendar = async () => none;
    const handle = await start('s-long', 0.05);
    const { runId: first } = await handle.describe();
    await eventually(async () => ((await handle.describe()).runId !== first ? true : undefined), 30_000);
    await eventually(async () => ((await syncsOf('s-long')).syncs >= 1 ? true : undefined));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.cancel();
  });
});
