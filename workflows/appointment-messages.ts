/** The `appointment` workflow's signals, updates and query, shared by the workflow, the API client and calendar sync. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AppointmentChange, AppointmentRecord } from '../activities/scheduling/types';
import type { AppointmentStatus, AwaitedReply } from '../core/appointments';

export interface AppointmentInput {
  tenantId: string;
  appointmentId: string;
}

/** One durable timer: a reminder, the end of the attendance window, the follow-up. */
export interface AppointmentTimer {
  name: string;
  at: string;
  fired: boolean;
  /** Set when the timer came due but did nothing (the booking was no longer open). */
  skipped?: boolean;
}

export interface AppointmentState {
  status: AppointmentStatus;
  startsAt: string;
  endsAt: string;
  timers: AppointmentTimer[];
  awaiting: AwaitedReply | null;
  /** What happened, in order (workflow time): the run page's log. */
  log: { at: string; event: string }[];
}

export interface AppointmentOutcome {
  status: AppointmentStatus;
}

export type RescheduleArgs = Omit<Extract<AppointmentChange, { type: 'reschedule' }>, 'type'>;
export type CancelArgs = Omit<Extract<AppointmentChange, { type: 'cancel' }>, 'type'>;

/** The contact answered a reminder (delivered by the conversation path). */
export const replySignal = defineSignal<[{ text: string; messageId: string }]>('reply');
/** The staff calendar's event was deleted: the booking is cancelled. */
export const calendarDeletedSignal = defineSignal<[Record<string, never>?]>('calendarDeleted');

export const rescheduleUpdate = defineUpdate<AppointmentRecord, [RescheduleArgs]>('reschedule');
export const cancelUpdate = defineUpdate<AppointmentRecord, [CancelArgs]>('cancel');
export const confirmUpdate = defineUpdate<AppointmentRecord, []>('confirm');
export const noShowUpdate = defineUpdate<AppointmentRecord, []>('noShow');
export const completeUpdate = defineUpdate<AppointmentRecord, []>('complete');

export const appointmentStateQuery = defineQuery<AppointmentState>('state');

/** Signals the API may send to an appointment run. */
export const APPOINTMENT_SIGNALS = ['reply', 'calendarDeleted'] as const;
