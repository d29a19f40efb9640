/**
 * The AI reply's booking tools over the scheduling service, for the conversation's own contact:
 * the model reaches only that contact's bookings, whatever it is told. Reschedule and cancel go
 * through the booking's `appointment` run (its updates move or clear the reminders); a run that is
 * over leaves the row to be changed directly, as the API does. The model gets text back in every
 * case, refusals included, so it can explain and offer another time.
 */
import { Context } from '@temporalio/activity';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SLOT_TAKEN_FAILURE } from '../../core/appointment-answers';
import { AppError } from '../../core/errors';
import { formatSlot } from '../../core/scheduling';
import { appointmentWorkflowId, isUuid } from '../../core/ids';
import { Appointment, Service, type Contact } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { bookAppointment, cancelAppointment, rescheduleAppointment, SlotTakenError } from '../../scheduling/service';
import type { ActivityDeps } from '../deps';
import { bookedIn, contactOf, customerOf, labelled, readerOf, searchSlots, serviceOf } from './flow';
import type { BookingFlowActivities } from './flow-types';

const OFFER = 5;
const HORIZON_DAYS = 14;

type Args = Record<string, unknown>;
const str = (args: Args, key: string) => (typeof args[key] === 'string' && (args[key] as string).trim() ? (args[key] as string).trim() : undefined);
const json = (value: unknown) => JSON.stringify(value);

export function appointmentToolActivities({ orm }: ActivityDeps): Pick<BookingFlowActivities, 'appointmentTool'> {
  return {
    async appointmentTool({ tenantId, conversationId, name, arguments: raw, idempotencyKey }) {
      let args: Args;
      try {
        args = raw.trim() ? (JSON.parse(raw) as Args) : {};
      } catch {
        return { content: 'error: the tool arguments are not valid JSON' };
      }
      const em = tenantEm(orm, tenantId);
      const { conversation, contact } = await contactOf(em, conversationId);
      try {
        switch (name) {
          case 'find_slots':
            return { content: await findSlotsTool(em, tenantId, contact, args) };
          case 'book': {
            const service = await serviceOf(em, requireUuid(args, 'serviceId'));
            const reader = await readerOf(em, service, contact);
            const staffId = str(args, 'staffId');
            const a = await bookAppointment(em, tenantId, {
              serviceId: service.id,
              startsAt: requireText(args, 'startsAt'),
              ...(staffId && isUuid(staffId) ? { staffId } : {}),
              ...bookedIn(conversation, contact),
              customer: customerOf(contact, reader),
              source: 'llm',
              idempotencyKey,
            });
            return { content: json({ booked: { appointmentId: a.id, service: a.serviceName, startsAt: a.startsAt, label: formatSlot(a, reader) } }), bookedId: a.id };
          }
          case 'reschedule':
          case 'cancel': {
            const a = await ownAppointment(em, contact, str(args, 'appointmentId'));
            if (!a) return { content: 'error: the customer has no upcoming appointment to change' };
            const change = name === 'reschedule' ? { type: 'reschedule' as const, startsAt: requireText(args, 'startsAt') } : { type: 'cancel' as const, reason: str(args, 'reason') ?? 'asked in the conversation', by: 'customer' as const };
            const record = await throughRun(tenantId, a.id, change, () =>
              change.type === 'reschedule' ? rescheduleAppointment(em, tenantId, a.id, { startsAt: change.startsAt }) : cancelAppointment(em, tenantId, a.id, { reason: change.reason, by: 'customer' }),
            );
            return { content: json({ [name === 'reschedule' ? 'rescheduled' : 'cancelled']: { appointmentId: record.id, status: record.status, startsAt: record.startsAt } }) };
          }
          default:
            return { content: `error: there is no booking tool named "${name}"` };
        }
      } catch (err) {
        if (err instanceof SlotTakenError) return { content: json({ error: 'that time was just taken', nextSlots: err.nextSlots.map((s) => ({ startsAt: s.startsAt, staffId: s.staffId })) }) };
        const taken = slotTakenIn(err);
        if (taken) return { content: json({ error: 'that time was just taken', nextSlots: taken }) };
        if (err instanceof AppError && err.status < 500) return { content: `error: ${err.message}` };
        if (err instanceof ApplicationFailure && err.nonRetryable) return { content: `error: ${err.message}` };
        throw err;
      }
    },
  };
}

async function findSlotsTool(em: EntityManager, tenantId: string, contact: Contact | null, args: Args): Promise<string> {
  const serviceId = str(args, 'serviceId');
  if (!serviceId) {
    const services = await em.find(Service, { active: true }, { fields: ['id', 'name', 'durationMinutes'], orderBy: { name: 'asc' } });
    return json({ services: services.map((s) => ({ serviceId: s.id, name: s.name, minutes: s.durationMinutes })) });
  }
  const service = await serviceOf(em, requireUuid(args, 'serviceId'));
  const reader = await readerOf(em, service, contact);
  const found = await searchSlots(em, tenantId, service.id, { limit: OFFER, horizonDays: HORIZON_DAYS, text: str(args, 'when'), timezone: reader.timezone, locale: reader.locale });
  if (found === null) return `error: "${str(args, 'when')}" names no day or time I understand`;
  return json({ service: service.name, timezone: reader.timezone, slots: labelled(found, reader).map((s) => ({ startsAt: s.startsAt, staffId: s.staffId, label: s.label })) });
}

/** The contact's booking by id, or their next upcoming one; never another contact's. */
async function ownAppointment(em: EntityManager, contact: Contact | null, id: string | undefined): Promise<Appointment | null> {
  if (!contact || (id !== undefined && !isUuid(id))) return null;
  return em.findOne(
    Appointment,
    { contact: contact.id, status: { $in: ['booked', 'confirmed'] }, ...(id ? { id } : { startsAt: { $gt: new Date() } }) },
    { orderBy: { startsAt: 'asc' } },
  );
}

type Change = { type: 'reschedule'; startsAt: string } | { type: 'cancel'; reason: string; by: 'customer' };

/** The change as an update of the booking's run; a run that is over (or never started) leaves it to `direct`. */
async function throughRun<T extends { id: string; status: string; startsAt: string }>(tenantId: string, id: string, change: Change, direct: () => Promise<T>): Promise<T> {
  const { type, ...args } = change;
  try {
    return await Context.current().client.workflow.getHandle(appointmentWorkflowId(tenantId, id)).executeUpdate<T, [typeof args]>(type, { args: [args] });
  } catch (err) {
    if (slotTakenIn(err)) throw err;
    const name = (err as Error | undefined)?.name;
    if (name === 'WorkflowNotFoundError' || (name !== 'WorkflowUpdateFailedError' && /already completed|not found/i.test((err as Error).message))) return direct();
    throw err;
  }
}

/** The next free slots of a refusal by the run (its activity's SlotTaken failure), or null. */
function slotTakenIn(err: unknown): unknown[] | null {
  let cause = (err as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof ActivityFailure) cause = cause.cause;
  if (!(cause instanceof ApplicationFailure) || cause.type !== SLOT_TAKEN_FAILURE) return null;
  return (cause.details?.[0] as { nextSlots?: unknown[] } | undefined)?.nextSlots ?? [];
}

function requireText(args: Args, key: string): string {
  const value = str(args, key);
  if (!value) throw new AppError('validation_failed', `${key} is required`, { field: key });
  return value;
}

function requireUuid(args: Args, key: string): string {
  const value = requireText(args, key);
  if (!isUuid(value)) throw new AppError('validation_failed', `${key} is not an id from find_slots`, { field: key });
  return value;
}
