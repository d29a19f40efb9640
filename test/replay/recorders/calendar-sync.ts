/**
 * `calendarSync` recordings: a sync that pushes a booking and pulls busy times, the interval's
 * timer, a sync that finds one of our events deleted in the calendar while no appointment workflow
 * runs for it (the signal fails, the booking is cancelled directly), then the staff member is
 * disconnected and the loop ends; and a deletion signalled to a running appointment workflow
 * (reported by two syncs, signalled once), with a `syncNow` that cuts a wait short.
 */
import { appointmentWorkflowId, calendarSyncWorkflowId } from '../../../core/ids';
import type { CalendarSyncInput, CalendarSyncResult } from '../../../core/calendar-sync';
import type { calendarSync } from '../../../workflows/calendarSync';
import { calendarSyncNowSignal, calendarSyncProgressQuery } from '../../../workflows/messages';
import { expectPath, type Recorder } from './types';

const DELETED = '5b8e1f0c-3a2d-4e6f-9b1c-7d8e9f0a1b2c';

export const calendarSyncRecorders: Record<string, Recorder> = {
  'calendar-sync-deleted-then-disconnected': {
    async record(ctx) {
      const none: CalendarSyncResult = { stop: false, busy: 0, pushed: 0, removed: 0, deleted: [], error: null };
      const results: CalendarSyncResult[] = [{ ...none, busy: 2, pushed: 1 }, { ...none, busy: 2, deleted: [{ appointmentId: DELETED, workflowId: appointmentWorkflowId('t1', DELETED) }] }, { ...none, stop: true }];
      let syncs = 0;
      const cancelled: string[] = [];
      ctx.h.fakes.impl.syncStaffCalendar = async () => results[syncs++];
      ctx.h.fakes.impl.cancelDeletedAppointment = async ({ appointmentId }) => void cancelled.push(appointmentId);
      const input: CalendarSyncInput = { tenantId: 't1', staffId: 's1', intervalSeconds: 1, windowDays: 90 };
      const handle = await ctx.h.client.workflow.start<typeof calendarSync>('calendarSync', {
        workflowId: calendarSyncWorkflowId(input.tenantId, input.staffId),
        taskQueue: ctx.h.taskQueue,
        args: [input],
      });
      await handle.result();
      expectPath(syncs === 3, `three syncs (saw ${syncs})`);
      expectPath(JSON.stringify(cancelled) === JSON.stringify([DELETED]), `the deleted booking cancelled directly (saw ${JSON.stringify(cancelled)})`);
      await ctx.save('calendar-sync-deleted-then-disconnected', handle.workflowId);
    },
  },
  'calendar-sync-signals-appointment': {
    async record(ctx) {
      // Any workflow running under the booking's workflow id takes the signal: a second sync loop stands in.
      const standIn = await ctx.h.client.workflow.start<typeof calendarSync>('calendarSync', {
        workflowId: appointmentWorkflowId('t1', DELETED),
        taskQueue: ctx.h.taskQueue,
        args: [{ tenantId: 't1', staffId: 'stand-in', intervalSeconds: 3600, windowDays: 1 }],
      });
      const none: CalendarSyncResult = { stop: false, busy: 0, pushed: 0, removed: 0, deleted: [], error: null };
      const deleted = [{ appointmentId: DELETED, workflowId: appointmentWorkflowId('t1', DELETED) }];
      let syncs = 0;
      const cancelled: string[] = [];
      ctx.h.fakes.impl.syncStaffCalendar = async ({ staffId }) => (staffId === 'stand-in' ? none : ++syncs <= 2 ? { ...none, deleted } : { ...none, stop: true });
      ctx.h.fakes.impl.cancelDeletedAppointment = async ({ appointmentId }) => void cancelled.push(appointmentId);
      const input: CalendarSyncInput = { tenantId: 't1', staffId: 's2', intervalSeconds: 3600, windowDays: 90 };
      const handle = await ctx.h.client.workflow.start<typeof calendarSync>('calendarSync', { workflowId: calendarSyncWorkflowId('t1', 's2'), taskQueue: ctx.h.taskQueue, args: [input] });
      for (let i = 0; i < 2; i++) {
        const before = syncs;
        while (syncs === before || (await handle.query(calendarSyncProgressQuery)).syncs < syncs) await new Promise((r) => setTimeout(r, 50));
        await handle.signal(calendarSyncNowSignal);
      }
      await handle.result();
      await standIn.terminate();
      expectPath(syncs === 3 && cancelled.length === 0, `three syncs, nothing cancelled directly (saw ${syncs}, ${JSON.stringify(cancelled)})`);
      await ctx.save('calendar-sync-signals-appointment', handle.workflowId);
    },
  },
};
