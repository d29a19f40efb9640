/**
 * The `appointment` workflow on the time-skipping test server with fake activities: reminders fire
 * at their planned instants, a reschedule moves them, a cancel clears them, the "C / R" exchange
 * confirms or moves the booking, a taken slot comes back to the caller, and attendance brings the
 * follow-up.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { appointmentWorkflowId, conversationWorkflowId } from '../../core/ids';
import { SLOT_TAKEN_FAILURE } from '../../core/appointments';
import type { appointment } from '../../workflows/appointment';
import { appointmentStateQuery, calendarDeletedSignal, cancelUpdate, completeUpdate, replySignal, rescheduleUpdate } from '../../workflows/messages';
import { createFakes } from '../workflows/support/fakes';
import { startTimeSkipping, type TimeSkipping } from '../workflows/support/time-skipping';
import { conversationInput, flow } from '../workflows/support/flows';
import { closeSignal, inboundSignal } from '../../workflows/messages';

let env: TestWorkflowEnvironment;
let server: TimeSkipping;
let taskQueue: string;
const fakes = createFakes();
const HOUR = 3_600_000;
const tenantId = randomUUID();

/** Every notice the workflow sent: its kind and the workflow time it was sent at. */
let notices: { kind: string; at: number; ask?: boolean; slots?: string[] }[] = [];

beforeAll(async () => {
  server = await startTimeSkipping('appointments', fakes);
  ({ env, taskQueue } = server);
});
afterAll(() => server?.close());

const defaultNotice = fakes.impl.sendAppointmentNotice;
const defaultChange = fakes.impl.changeAppointment;
beforeEach(() => {
  fakes.reset();
  notices = [];
  fakes.impl.sendAppointmentNotice = async (input) => {
    notices.push({ kind: input.kind, at: Context.current().info.currentAttemptScheduledTimestampMs, ask: input.ask, slots: input.slots });
    return defaultNotice(input);
  };
});

async function start() {
  const appointmentId = randomUUID();
  const handle = await env.client.workflow.start<typeof appointment>('appointment', {
    workflowId: appointmentWorkflowId(tenantId, appointmentId),
    taskQueue,
    args: [{ tenantId, appointmentId }],
  });
  // The booking as the workflow's first activity read it (start time and reminders).
  const state = await eventuallyLoaded(handle);
  return { handle, appointmentId, startsAt: Date.parse(state.startsAt) };
}

async function eventuallyLoaded(handle: Awaited<ReturnType<typeof env.client.workflow.start<typeof appointment>>>) {
  for (let i = 0; i < 100; i++) {
    const state = await handle.query(appointmentStateQuery);
    if (state.startsAt) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the appointment was never loaded');
}

const kinds = () => notices.map((n) => n.kind);

describe('appointment workflow', () => {
  it('confirms, fires the 24 h and 2 h reminders at their instants, and ends after the attendance window', async () => {
    const { handle, startsAt } = await start();
    const outcome = await handle.result();
    expect(outcome.status).toBe('booked');
    expect(kinds()).toEqual(['confirmation', 'reminder', 'reminder']);
    expectAt(notices[1].at, startsAt - 24 * HOUR);
    expectAt(notices[2].at, startsAt - 2 * HOUR);
    expect(notices[1].ask).toBe(true);
    // Each notice went out on the contact's WhatsApp conversation.
    expect(fakes.of(handle.workflowId, 'sendChannelMessage')).toHaveLength(3);
    expect(fakes.of(handle.workflowId, 'notifyAppointmentStaff').map((c) => c.input.change)).toEqual(['booked']);
  });

  it('moves the reminders with a reschedule', async () => {
    const { handle, startsAt } = await start();
    const moved = startsAt + 24 * HOUR;
    const record = await handle.executeUpdate(rescheduleUpdate, { args: [{ startsAt: new Date(moved).toISOString() }] });
    expect(record.startsAt).toBe(new Date(moved).toISOString());
    const state = await handle.query(appointmentStateQuery);
    expect(state.timers.filter((t) => t.name.startsWith('reminder')).map((t) => Date.parse(t.at))).toEqual([moved - 24 * HOUR, moved - 2 * HOUR]);
    await handle.result();
    expect(kinds()).toEqual(['confirmation', 'rescheduled', 'reminder', 'reminder']);
    expectAt(notices[2].at, moved - 24 * HOUR);
    expectAt(notices[3].at, moved - 2 * HOUR);
    expect(fakes.of(handle.workflowId, 'notifyAppointmentStaff').map((c) => c.input.change)).toEqual(['booked', 'rescheduled']);
  });

  it('clears the reminders with a cancel and ends', async () => {
    const { handle } = await start();
    const record = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'ill', by: 'customer' }] });
    expect(record.status).toBe('cancelled');
    expect(await handle.result()).toEqual({ status: 'cancelled' });
    expect(kinds()).toEqual(['confirmation', 'cancelled']);
    expect(fakes.of(handle.workflowId, 'changeAppointment')[0].input.change).toEqual({ type: 'cancel', reason: 'ill', by: 'customer' });
  });

  it('cancels the booking when its staff calendar event is deleted', async () => {
    const { handle } = await start();
    await handle.signal(calendarDeletedSignal, {});
    expect(await handle.result()).toEqual({ status: 'cancelled' });
    expect(fakes.of(handle.workflowId, 'changeAppointment')[0].input.change).toMatchObject({ type: 'cancel', by: 'calendar' });
    expect(kinds()).toEqual(['confirmation', 'cancelled']);
  });

  it('confirms on "C" after the reminder: the 2 h reminder no longer asks', async () => {
    const { handle, startsAt } = await start();
    await env.sleep(startsAt - 24 * HOUR - (await env.currentTimeMs()) + 60_000);
    await waitFor(() => kinds().includes('reminder'));
    await handle.signal(replySignal, { text: 'c', messageId: 'm1' });
    await waitFor(() => kinds().includes('confirmed'));
    expect((await handle.query(appointmentStateQuery)).status).toBe('confirmed');
    await handle.result();
    expect(kinds()).toEqual(['confirmation', 'reminder', 'confirmed', 'reminder']);
    expect(notices[3].ask).toBe(false);
  });

  it('takes the answer from the contact’s conversation: the appointment replies, the flow does not', async () => {
    const { handle, startsAt } = await start();
    await env.sleep(startsAt - 24 * HOUR - (await env.currentTimeMs()) + 60_000);
    await waitFor(() => kinds().includes('reminder'));
    // The store found this appointment waiting for exactly this answer (activities/scheduling/replies.ts).
    fakes.impl.recordInbound = async ({ key, text }) => ({ messageId: key, ...(text === 'C' ? { appointmentWorkflowId: handle.workflowId } : {}) });
    const input = conversationInput(flow([{ id: 'start', type: 'start' }, { id: 'hello', type: 'sendMessage', data: { text: 'Hello from the flow' } }, { id: 'end', type: 'end' }], [['start', 'hello'], ['hello', 'end']]));
    const conversationId = conversationWorkflowId(input.tenantId, input.conversationId);
    await env.client.workflow.signalWithStart('conversation', { workflowId: conversationId, taskQueue, args: [input], signal: inboundSignal, signalArgs: [{ text: 'C' }] });
    await waitFor(() => kinds().includes('confirmed'));
    expect(fakes.of(conversationId, 'deliverMessage')).toEqual([]);
    // Any other message is the flow's.
    await env.client.workflow.getHandle(conversationId).signal(inboundSignal, { text: 'what are your hours?' });
    await waitFor(() => fakes.of(conversationId, 'deliverMessage').length > 0);
    expect(fakes.of(conversationId, 'deliverMessage')[0].input.message.text).toBe('Hello from the flow');
    await env.client.workflow.getHandle(conversationId).signal(closeSignal);
    await env.client.workflow.getHandle(conversationId).result();
    await finish(handle);
  });

  it('offers slots on "R" and books the chosen one; a taken one brings the next slots', async () => {
    const { handle, startsAt } = await start();
    const free = [startsAt + 48 * HOUR, startsAt + 49 * HOUR].map((t) => ({ startsAt: new Date(t).toISOString(), staffId: 'staff-1' }));
    fakes.impl.offerAppointmentSlots = async () => ({ slots: free });
    const change = fakes.impl.changeAppointment;
    let refuseOnce = true;
    fakes.impl.changeAppointment = async (input) => {
      if (input.change.type === 'reschedule' && refuseOnce) {
        refuseOnce = false;
        throw ApplicationFailure.create({ type: SLOT_TAKEN_FAILURE, message: 'taken', nonRetryable: true, details: [{ nextSlots: [free[1]] }] });
      }
      return change(input);
    };
    await env.sleep(startsAt - 24 * HOUR - (await env.currentTimeMs()) + 60_000);
    await waitFor(() => kinds().includes('reminder'));
    await handle.signal(replySignal, { text: 'R', messageId: 'm1' });
    await waitFor(() => kinds().includes('offer'));
    expect((await handle.query(appointmentStateQuery)).awaiting).toEqual({ expects: 'choice', choices: 2 });
    await handle.signal(replySignal, { text: '1', messageId: 'm2' });
    await waitFor(() => kinds().includes('slotTaken'));
    await handle.signal(replySignal, { text: '1', messageId: 'm3' });
    await waitFor(() => kinds().includes('rescheduled'));
    const state = await handle.query(appointmentStateQuery);
    expect(state.startsAt).toBe(free[1].startsAt);
    expect(state.awaiting).toBeNull();
    const reschedules = fakes.of(handle.workflowId, 'changeAppointment').filter((c) => c.input.change.type === 'reschedule');
    expect(reschedules.map((c) => c.input.change.startsAt)).toEqual([free[0].startsAt, free[1].startsAt]);
    await finish(handle);
  });

  it('returns a taken slot to the update caller with the next free slots', async () => {
    const { handle, startsAt } = await start();
    const next = [{ startsAt: new Date(startsAt + 3 * HOUR).toISOString(), endsAt: new Date(startsAt + 4 * HOUR).toISOString(), staffId: null, resourceId: null, seatsLeft: 1 }];
    fakes.impl.changeAppointment = async () => {
      throw ApplicationFailure.create({ type: SLOT_TAKEN_FAILURE, message: 'taken', nonRetryable: true, details: [{ nextSlots: next }] });
    };
    const err = await handle.executeUpdate(rescheduleUpdate, { args: [{ startsAt: new Date(startsAt + HOUR).toISOString() }] }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect(err.cause.type).toBe(SLOT_TAKEN_FAILURE);
    expect(err.cause.details[0].nextSlots).toEqual(next);
    // The booking and its timers are as they were.
    expect(Date.parse((await handle.query(appointmentStateQuery)).startsAt)).toBe(startsAt);
    await finish(handle);
  });

  it('sends the follow-up after attendance is marked, never before the end, and no reminder after it', async () => {
    const { handle, startsAt } = await start();
    const record = await handle.executeUpdate(completeUpdate);
    expect(record.status).toBe('completed');
    expect(await handle.result()).toEqual({ status: 'completed' });
    // Marked early (staff closing the day): the review request still waits for the end plus 120 minutes.
    expect(kinds()).toEqual(['confirmation', 'followUp']);
    expectAt(notices[1].at, startsAt + HOUR + 120 * 60_000);
  });
});

/**
 * Ends a run by cancelling it with the default fakes. Not terminate: the time-skipping server stops
 * skipping while an activity is in flight, and a terminated run's activity never reports back.
 */
async function finish(handle: Awaited<ReturnType<typeof start>>['handle']): Promise<void> {
  fakes.impl.changeAppointment = defaultChange;
  await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'end of test', by: 'system' }] });
  await handle.result();
}

/** A timer's activity is scheduled a few milliseconds after the timer fires. */
function expectAt(actual: number, expected: number): void {
  expect(actual).toBeGreaterThanOrEqual(expected);
  expect(actual - expected).toBeLessThan(1_000);
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not reached; notices: ${kinds().join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
