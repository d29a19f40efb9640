/**
 * `appointment` recordings on a real dev server, with a booking a few seconds ahead so its timers
 * fire while recording: (1) confirmation, a reminder answered "C", the second reminder, attendance
 * marked and the follow-up; (2) a reminder answered "R", a chosen slot, a staff reschedule refused
 * (slot taken), then a cancel.
 */
import { ApplicationFailure } from '@temporalio/common';
import { appointmentWorkflowId } from '../../../core/ids';
import type { AppointmentSnapshot } from '../../../activities/scheduling/types';
import { SLOT_TAKEN_FAILURE } from '../../../core/appointments';
import type { appointment } from '../../../workflows/appointment';
import { appointmentStateQuery, cancelUpdate, completeUpdate, replySignal, rescheduleUpdate } from '../../../workflows/messages';
import type { Harness } from '../../workflows/support/harness';
import { fakeRecord } from '../../workflows/support/fakes';
import { expectPath, type Recorder } from './types';

const SECOND = 1000;

/** A booking starting `startIn` from now with reminders at the given offsets (all in ms). */
function shortBooking(startIn: number, reminderIn: number[], status: AppointmentSnapshot['status'] = 'booked', base = Date.now()): AppointmentSnapshot {
  const start = base + startIn;
  return {
    status,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + SECOND).toISOString(),
    reminders: reminderIn.map((ms, i) => ({ name: `reminder-${i + 1}`, at: new Date(base + ms).toISOString() })),
    followUpAfterMinutes: 0.02,
    markWindowMinutes: 0.5,
  };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never reached: ${what}`);
}

function start(h: Harness, appointmentId: string) {
  return h.client.workflow.start<typeof appointment>('appointment', {
    workflowId: appointmentWorkflowId('t1', appointmentId),
    taskQueue: h.taskQueue,
    args: [{ tenantId: 't1', appointmentId }],
  });
}

const noticeSent = (h: Harness, workflowId: string, kind: string) => async () => h.fakes.of(workflowId, 'sendAppointmentNotice').some((c) => c.input.kind === kind);

export const appointmentRecorders: Record<string, Recorder> = {
  'appointment-confirm-complete': {
    async record({ h, save }) {
      const booked = shortBooking(4 * SECOND, [SECOND, 3 * SECOND]);
      h.fakes.impl.loadAppointment = async () => booked;
      h.fakes.impl.changeAppointment = async ({ appointmentId, change }) => {
        const status = change.type === 'status' ? change.status : 'cancelled';
        const snapshot: AppointmentSnapshot = { ...booked, status, reminders: status === 'confirmed' ? booked.reminders.filter((r) => Date.parse(r.at) > Date.now()) : [] };
        return { snapshot, appointment: fakeRecord(appointmentId, snapshot) };
      };
      const handle = await start(h, 'a-confirm');
      await until('the first reminder', noticeSent(h, handle.workflowId, 'reminder'));
      await handle.signal(replySignal, { text: 'C', messageId: 'm1' });
      await until('the confirmation of "C"', noticeSent(h, handle.workflowId, 'confirmed'));
      await until('the end of the booking', async () => Date.now() > Date.parse(booked.endsAt));
      await handle.executeUpdate(completeUpdate);
      const outcome = await handle.result();
      const kinds = h.fakes.of(handle.workflowId, 'sendAppointmentNotice').map((c) => c.input.kind);
      expectPath(outcome.status === 'completed' && JSON.stringify(kinds) === JSON.stringify(['confirmation', 'reminder', 'confirmed', 'reminder', 'followUp']), `confirm, remind, follow up (saw ${kinds.join(', ')})`);
      await save('appointment-confirm-complete', handle.workflowId);
    },
  },
  'appointment-reschedule-cancel': {
    async record({ h, save }) {
      let booked = shortBooking(60 * SECOND, [SECOND]);
      const free = [70, 80].map((s) => ({ startsAt: new Date(Date.now() + s * SECOND).toISOString(), staffId: 'staff-1' }));
      h.fakes.impl.loadAppointment = async () => booked;
      h.fakes.impl.offerAppointmentSlots = async () => ({ slots: free });
      h.fakes.impl.changeAppointment = async ({ appointmentId, change }) => {
        if (change.type === 'reschedule' && change.startsAt === free[0].startsAt && booked.startsAt === free[1].startsAt) {
          throw ApplicationFailure.create({ type: SLOT_TAKEN_FAILURE, message: 'taken', nonRetryable: true, details: [{ nextSlots: [] }] });
        }
        if (change.type === 'reschedule') booked = { ...booked, startsAt: change.startsAt, endsAt: new Date(Date.parse(change.startsAt) + SECOND).toISOString(), reminders: [] };
        if (change.type === 'cancel') booked = { ...booked, status: 'cancelled', reminders: [] };
        return { snapshot: booked, appointment: fakeRecord(appointmentId, booked) };
      };
      const handle = await start(h, 'a-reschedule');
      await until('the reminder', noticeSent(h, handle.workflowId, 'reminder'));
      await handle.signal(replySignal, { text: 'R', messageId: 'm1' });
      await until('the offer', noticeSent(h, handle.workflowId, 'offer'));
      await handle.signal(replySignal, { text: '2', messageId: 'm2' });
      await until('the move', noticeSent(h, handle.workflowId, 'rescheduled'));
      const refused = await handle.executeUpdate(rescheduleUpdate, { args: [{ startsAt: free[0].startsAt }] }).then(() => false, () => true);
      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'no longer needed', by: 'customer' }] });
      const outcome = await handle.result();
      const state = await handle.query(appointmentStateQuery);
      expectPath(refused && outcome.status === 'cancelled' && state.startsAt === free[1].startsAt, `moved to the second slot, refused a taken one, cancelled (refused ${refused}, ${outcome.status})`);
      await save('appointment-reschedule-cancel', handle.workflowId);
    },
  },
};
