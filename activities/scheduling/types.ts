/**
 * The `appointment` workflow's activities (workflows/appointment.ts): it imports these types only.
 * Every booking fact (times, service, contact, channel) is read from the database by the
 * activities, so the history carries ids and instants, never customer data.
 */
import type { AppointmentNoticeKind, StaffChange } from '../../core/appointment-messages';
import type { AppointmentStatus, AwaitedReply, PlannedTimer } from '../../core/appointments';
import type { AppointmentDto } from '../../core/api/scheduling';
import type { Channel } from '../../core/messages';

export interface AppointmentRef {
  tenantId: string;
  appointmentId: string;
}

/** What the workflow keeps of its booking: status, instants and the timers they imply. */
export interface AppointmentSnapshot {
  status: AppointmentStatus;
  startsAt: string;
  endsAt: string;
  /** Reminder instants still ahead (quiet hours applied, in the contact's timezone). */
  reminders: PlannedTimer[];
  followUpAfterMinutes: number;
  markWindowMinutes: number;
}

/** The booking as the API returns it (core/api/scheduling.ts appointmentSchema). */
export type AppointmentRecord = AppointmentDto;

export type AppointmentChange =
  | { type: 'reschedule'; startsAt: string; staffId?: string }
  | { type: 'cancel'; reason: string; by: 'customer' | 'staff' | 'calendar' | 'system' }
  | { type: 'status'; status: 'confirmed' | 'completed' | 'no_show' };

/** A free slot offered to the contact. */
export interface OfferedSlot {
  startsAt: string;
  staffId: string | null;
}

export interface NoticeResult {
  /** Where the message was stored; null when it went by email or had nowhere to go. */
  conversation: { tenantId: string; conversationId: string; workflowId: string; channel: Channel } | null;
  /** The conversation's channel sends through a provider: the workflow then calls sendChannelMessage. */
  external: boolean;
  via: 'conversation' | 'email' | 'none';
}

export interface AppointmentActivities {
  /** The booking and its reminder plan (tenant/service settings, contact timezone, quiet hours). */
  loadAppointment(input: AppointmentRef): Promise<AppointmentSnapshot>;
  /** Applies a change through the scheduling service; a taken slot fails non-retryably with SLOT_TAKEN_FAILURE. */
  changeAppointment(input: AppointmentRef & { change: AppointmentChange }): Promise<{ snapshot: AppointmentSnapshot; appointment: AppointmentRecord }>;
  /**
   * Stores a notice in the contact's conversation (idempotent on `key`) or, without one, emails it to
   * the customer; `awaiting` publishes what answer the workflow now waits for (null clears it).
   */
  sendAppointmentNotice(input: AppointmentRef & { kind: AppointmentNoticeKind; key: string; slots?: string[]; ask?: boolean; awaiting?: AwaitedReply | null }): Promise<NoticeResult>;
  /** The next free slots of the booking's service (for "R": reschedule). */
  offerAppointmentSlots(input: AppointmentRef & { limit: number }): Promise<{ slots: OfferedSlot[] }>;
  /** Emails the booking's staff member about a change (once per key); false when there is no one or no mailer. */
  notifyAppointmentStaff(input: AppointmentRef & { change: StaffChange; key: string; previousStartsAt?: string }): Promise<{ sent: boolean }>;
}
