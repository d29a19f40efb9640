/**
 * The `appointment` workflow's activities: thin calls into the scheduling service (scheduling/
 * service.ts) and the conversation store. A notice goes into the contact's conversation (the one
 * the booking came from, else the contact's latest on the booking's channel) and out through the
 * channel like any flow message; a booking with no conversation is emailed to the customer by the
 * platform mailer. Staff hear of changes by email.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appointmentSettingsFor, planReminders, SLOT_TAKEN_FAILURE } from '../../core/appointments';
import { noticeText, staffNotice } from '../../core/appointment-messages';
import type { AppointmentDto } from '../../core/api/scheduling';
import { isExternalChannel } from '../../core/channels';
import { appointmentWorkflowId, calendarSyncWorkflowId, conversationWorkflowId } from '../../core/ids';
import { Conversation, Location, StaffMember } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { cancelAppointment, findSlots, getAppointment, rescheduleAppointment, setAppointmentStatus, SlotTakenError } from '../../scheduling/service';
import { appointmentIcs } from '../../scheduling/ics';
import { mailerAddress, systemMailer } from '../../webhooks/mailer';
import type { ActivityDeps } from '../deps';
import { storeActivities } from '../store';
import { loadTenant } from '../tenant';
import type { ConversationRef, SwitchboardActivities } from '../types';
import { publishAwaited } from './replies';
import type { AppointmentActivities, AppointmentSnapshot } from './types';
import { activityContext } from '../context';

/** How far ahead "R" looks for free slots. */
const OFFER_HORIZON_DAYS = 30;
/** Notices whose email carries the booking as an iCalendar invitation, and its method. */
const INVITING_NOTICES = { confirmation: 'REQUEST', rescheduled: 'REQUEST', cancelled: 'CANCEL' } as const;
/** A notice email's key is remembered this long, so a retried activity does not mail twice. */
const MAIL_DEDUPE_SECONDS = 7 * 24 * 3600;

export function schedulingActivities(deps: ActivityDeps): AppointmentActivities {
  const { orm, redis, config } = deps;
  const store = storeActivities(deps);
  const mailer = systemMailer(config);

  async function snapshotOf(tenantId: string, a: AppointmentDto): Promise<AppointmentSnapshot> {
    const tenant = await loadTenant(orm, tenantId);
    const settings = appointmentSettingsFor(tenant.settings.appointments, a.serviceId);
    const timezone = a.customerTimezone ?? a.timezone;
    return {
      status: a.status,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      reminders: planReminders({ startsAt: a.startsAt, now: new Date().toISOString(), timezone, settings }),
      followUpAfterMinutes: settings.followUpAfterMinutes,
      markWindowMinutes: settings.markWindowMinutes,
    };
  }

  /** The conversation a notice belongs in: the booking's own, else the contact's latest on the booking's channel. */
  async function conversationOf(em: EntityManager, tenantId: string, a: AppointmentDto): Promise<ConversationRef | null> {
    const where = a.conversationId ? { id: a.conversationId } : a.contactId ? { contact: a.contactId, isTest: false, ...(a.channel ? { channel: a.channel } : {}) } : null;
    if (!where) return null;
    const row = await em.findOne(Conversation, where as never, { orderBy: { lastMessageAt: 'desc' } });
    return row ? { tenantId, conversationId: row.id, workflowId: conversationWorkflowId(tenantId, row.id), channel: row.channel } : null;
  }

  return {
    async loadAppointment({ tenantId, appointmentId }) {
      return snapshotOf(tenantId, await getAppointment(tenantEm(orm, tenantId), tenantId, appointmentId));
    },

    async changeAppointment({ tenantId, appointmentId, change }) {
      const em = tenantEm(orm, tenantId);
      let appointment: AppointmentDto;
      try {
        if (change.type === 'reschedule') appointment = await rescheduleAppointment(em, tenantId, appointmentId, { startsAt: change.startsAt, ...(change.staffId ? { staffId: change.staffId } : {}) });
        else if (change.type === 'cancel') appointment = await cancelAppointment(em, tenantId, appointmentId, { reason: change.reason, by: change.by });
        else appointment = await setAppointmentStatus(em, tenantId, appointmentId, change.status);
      } catch (err) {
        if (err instanceof SlotTakenError) throw ApplicationFailure.create({ type: SLOT_TAKEN_FAILURE, message: err.message, nonRetryable: true, details: [{ nextSlots: err.nextSlots }] });
        throw err;
      }
      return { snapshot: await snapshotOf(tenantId, appointment), appointment };
    },

    async sendAppointmentNotice({ tenantId, appointmentId, kind, key, slots, ask, awaiting }) {
      const em = tenantEm(orm, tenantId);
      const tenant = await loadTenant(orm, tenantId);
      const a = await getAppointment(em, tenantId, appointmentId);
      const settings = appointmentSettingsFor(tenant.settings.appointments, a.serviceId);
      const text = noticeText(kind, { serviceName: a.serviceName, startsAt: a.startsAt, timezone: a.customerTimezone ?? a.timezone, customerName: a.customerName, reviewUrl: settings.reviewUrl }, { slots, ask });
      const conversation = await conversationOf(em, tenantId, a);
      if (conversation) {
        await store.deliverMessage({ ...conversation, message: { key, text, author: 'bot', source: 'appointment', nodeId: '@appointment' } });
        if (awaiting !== undefined) await publishAwaited(redis, tenantId, conversation.conversationId, appointmentWorkflowId(tenantId, appointmentId), awaiting, a.endsAt);
        return { conversation, external: isExternalChannel(conversation.channel), via: 'conversation' };
      }
      if (a.customerEmail && mailer) {
        const invitation = INVITING_NOTICES[kind as keyof typeof INVITING_NOTICES];
        const location = invitation ? await em.findOne(Location, { id: a.locationId }) : null;
        // The booking as an invitation the customer's mail client adds to their calendar (and moves or removes with the later notices).
        const icalEvent = invitation && { method: invitation, filename: 'invite.ics', content: appointmentIcs(a, { organizer: { name: tenant.name, email: mailerAddress(config) }, location, method: invitation }) };
        await mailOnce(`appt-mail:${tenantId}:${key}`, { to: a.customerEmail, subject: `${a.serviceName}: ${kind === 'cancelled' ? 'cancelled' : 'your appointment'}`, text, ...(icalEvent ? { icalEvent } : {}) });
        return { conversation: null, external: false, via: 'email' };
      }
      return { conversation: null, external: false, via: 'none' };
    },

    async offerAppointmentSlots({ tenantId, appointmentId, limit }) {
      const em = tenantEm(orm, tenantId);
      const a = await getAppointment(em, tenantId, appointmentId);
      const from = new Date();
      const to = new Date(from.getTime() + OFFER_HORIZON_DAYS * 86_400_000);
      const slots = await findSlots(em, tenantId, { serviceId: a.serviceId, from: from.toISOString(), to: to.toISOString(), limit: limit + 1 });
      return { slots: slots.filter((s) => s.startsAt !== a.startsAt).slice(0, limit).map((s) => ({ startsAt: s.startsAt, staffId: s.staffId })) };
    },

    async notifyAppointmentStaff({ tenantId, appointmentId, change, key, previousStartsAt }) {
      const em = tenantEm(orm, tenantId);
      const a = await getAppointment(em, tenantId, appointmentId);
      // Every change of a running booking passes here: its staff calendar follows now, not at the next
      // interval. Best effort: no loop runs for a staff member without a calendar, and one that cannot
      // be reached syncs at its interval anyway.
      const client = activityContext()?.client;
      if (a.staffId && client) {
        await client.workflow.getHandle(calendarSyncWorkflowId(tenantId, a.staffId)).signal('syncNow').catch(() => undefined);
      }
      const staff = a.staffId ? await em.findOne(StaffMember, { id: a.staffId }) : null;
      if (!staff?.email || !mailer) return { sent: false };
      const mail = staffNotice(change, { serviceName: a.serviceName, startsAt: a.startsAt, timezone: a.timezone, customerName: a.customerName, previousStartsAt });
      await mailOnce(`appt-staff-mail:${tenantId}:${key}`, { to: staff.email, ...mail });
      return { sent: true };
    },
  } satisfies Pick<SwitchboardActivities, keyof AppointmentActivities>;

  /** Mail has no idempotency key: a retried activity finds the key taken and does not mail twice. */
  async function mailOnce(dedupeKey: string, mail: Parameters<NonNullable<typeof mailer>>[0]): Promise<void> {
    if ((await redis.set(dedupeKey, '1', 'EX', MAIL_DEDUPE_SECONDS, 'NX')) !== 'OK') return;
    try {
      await mailer!(mail);
    } catch (err) {
      // Not sent: the next attempt must try again.
      await redis.del(dedupeKey);
      throw err;
    }
  }
}
