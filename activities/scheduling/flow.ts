/**
 * Activities of the `bookAppointment` flow node: the scheduling service seen from a conversation.
 * The contact's timezone and language come from their attributes (`timezone`, `locale` or
 * `language`), else the service location's timezone and English.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IANAZone } from 'luxon';
import { formatSlot, parseRequestedTime, type Slot } from '../../core/scheduling';
import { Contact, Conversation, Location, Service } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { bookAppointment, findSlots, SlotTakenError, type BookInput } from '../../scheduling/service';
import type { ActivityDeps } from '../deps';
import type { BookingFlowActivities, LabelledSlot } from './flow-types';
import { SLOT_TAKEN_FAILURE } from '../../core/appointment-answers';

const DAY_MS = 86_400_000;

export interface Reader {
  timezone: string;
  locale: string;
  /** The contact's zone differs from the business's: labels name it. */
  withZone: boolean;
}

export async function serviceOf(em: EntityManager, serviceId: string): Promise<Service> {
  const service = await em.findOne(Service, { id: serviceId });
  if (!service) throw ApplicationFailure.nonRetryable(`service ${serviceId} not found`, 'not_found');
  return service;
}

/** The conversation and its contact (none in a flow test run without a conversation). */
export async function contactOf(em: EntityManager, conversationId: string | undefined): Promise<{ conversation: Conversation | null; contact: Contact | null }> {
  const conversation = conversationId ? await em.findOne(Conversation, { id: conversationId }) : null;
  const contact = conversation?.contact ? await em.findOne(Contact, { id: conversation.contact }) : null;
  return { conversation, contact };
}

/** How the contact reads times: their own timezone and language when their attributes name them. */
export async function readerOf(em: EntityManager, service: Service, contact: Contact | null): Promise<Reader> {
  const location = await em.findOneOrFail(Location, { id: service.location }, { fields: ['timezone'] });
  const attrs = (contact?.attributes ?? {}) as Record<string, unknown>;
  const own = typeof attrs.timezone === 'string' && IANAZone.isValidZone(attrs.timezone) ? attrs.timezone : null;
  const locale = [attrs.locale, attrs.language].find((v): v is string => typeof v === 'string' && /^[a-z]{2,3}([-_][A-Za-z]{2,4})?$/.test(v));
  return { timezone: own ?? location.timezone, locale: (locale ?? 'en').replace('_', '-'), withZone: own !== null && own !== location.timezone };
}

export const labelled = (slots: Slot[], r: Reader): LabelledSlot[] => slots.map((s) => ({ startsAt: s.startsAt, staffId: s.staffId, label: formatSlot(s, r) }));

/** The customer of a booking made in a conversation: the contact as the channel knows them. */
export function customerOf(contact: Contact | null, reader: Reader): BookInput['customer'] {
  const attrs = (contact?.attributes ?? {}) as Record<string, unknown>;
  return {
    name: contact?.name ?? contact?.phone ?? contact?.email ?? 'Customer',
    ...(contact?.email ? { email: contact.email } : {}),
    ...(contact?.phone ? { phone: contact.phone } : {}),
    ...(typeof attrs.timezone === 'string' && reader.timezone === attrs.timezone ? { timezone: reader.timezone } : {}),
  };
}

/** The conversation's ids on a booking, so its notices go back there. */
export const bookedIn = (conversation: Conversation | null, contact: Contact | null) => ({
  ...(contact ? { contactId: contact.id } : {}),
  ...(conversation ? { conversationId: conversation.id, channel: conversation.channel } : {}),
});

/**
 * The next free slots within `horizonDays`; with `text`, those in the time it names (read in the
 * contact's timezone), or the first ones after it when that time is full. Null: the text names no time.
 */
export async function searchSlots(
  em: EntityManager,
  tenantId: string,
  serviceId: string,
  q: { limit: number; horizonDays: number; text?: string; timezone: string; locale: string },
): Promise<Slot[] | null> {
  const now = Date.now();
  const search = (from: number, to: number) => findSlots(em, tenantId, { serviceId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: q.limit });
  if (q.text === undefined) return search(now, now + q.horizonDays * DAY_MS);
  const range = parseRequestedTime(q.text, { timezone: q.timezone, locale: q.locale, now });
  if (!range) return null;
  const from = Math.max(now, Date.parse(range.from));
  const within = Date.parse(range.to) > from ? await search(from, Date.parse(range.to)) : [];
  // That time is full: the first free ones after it are the closest useful answer.
  return within.length ? within : search(from, from + q.horizonDays * DAY_MS);
}

export function bookingFlowActivities({ orm }: ActivityDeps): Omit<BookingFlowActivities, 'appointmentTool'> {
  const label = labelled;

  return {
    async listBookableServices({ tenantId }) {
      const rows = await tenantEm(orm, tenantId).find(Service, { active: true }, { fields: ['id', 'name'], orderBy: { name: 'asc' } });
      return { services: rows.map((s) => ({ id: s.id, name: s.name })) };
    },

    async findBookingSlots({ tenantId, conversationId, serviceId, limit, horizonDays, text }) {
      const em = tenantEm(orm, tenantId);
      const service = await serviceOf(em, serviceId);
      const reader = await readerOf(em, service, (await contactOf(em, conversationId)).contact);
      const found = await searchSlots(em, tenantId, serviceId, { limit, horizonDays, text, timezone: reader.timezone, locale: reader.locale });
      return { serviceName: service.name, understood: found !== null, slots: label(found ?? [], reader) };
    },

    async bookFromFlow({ tenantId, conversationId, serviceId, startsAt, staffId, idempotencyKey }) {
      const em = tenantEm(orm, tenantId);
      const service = await serviceOf(em, serviceId);
      const { conversation, contact } = await contactOf(em, conversationId);
      const reader = await readerOf(em, service, contact);
      try {
        const a = await bookAppointment(em, tenantId, {
          serviceId,
          startsAt,
          ...(staffId ? { staffId } : {}),
          ...bookedIn(conversation, contact),
          customer: customerOf(contact, reader),
          source: 'flow',
          idempotencyKey,
        });
        return { id: a.id, startsAt: a.startsAt, endsAt: a.endsAt, serviceId: a.serviceId, serviceName: a.serviceName, slot: formatSlot(a, reader) };
      } catch (err) {
        if (!(err instanceof SlotTakenError)) throw err;
        throw ApplicationFailure.create({ type: SLOT_TAKEN_FAILURE, message: err.message, nonRetryable: true, details: [{ nextSlots: label(err.nextSlots, reader) }] });
      }
    },
  };
}
