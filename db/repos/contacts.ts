/**
 * Contacts as the contacts API sees them: with their consent per channel, listed newest first in
 * keyset pages, searchable by name/email/phone, by tag and by segment filter. Raw SQL for the list
 * (the segment filter compiles to SQL), bound to the tenant the EntityManager is scoped to.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AudienceRow, CampaignChannel, ConsentMethod, ConsentStatus, SegmentFilter } from '../../core/campaigns';
import { Contact } from '../entities';
import { scopedTenant } from './audience';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { segmentSql } from './segment-sql';

export interface ConsentState {
  status: ConsentStatus;
  method: ConsentMethod;
  source: string | null;
  optedInAt: string | null;
  optedOutAt: string | null;
  updatedAt: string;
}

/** A contact as the API shows it: the audience fields, and its channel, times and full consent records. */
export interface ContactRecord extends Omit<AudienceRow, 'contactId' | 'consent'> {
  id: string;
  channel: string;
  lastSeenAt: Date | null;
  createdAt: Date;
  consent: Partial<Record<CampaignChannel, ConsentState>>;
}

const SELECT = `select c.id, c.channel, c.name, c.first_name as "firstName", c.last_name as "lastName", c.email, c.phone, c.messenger_psid as "messengerPsid",
       c.tags, c.attributes, c.timezone, c.locale, c.last_seen_at as "lastSeenAt", c.created_at as "createdAt",
       coalesce((select jsonb_object_agg(cc.channel, jsonb_build_object('status', cc.status, 'method', cc.method, 'source', cc.source,
                  'optedInAt', cc.opted_in_at, 'optedOutAt', cc.opted_out_at, 'updatedAt', cc.updated_at))
                 from contact_consents cc where cc.contact_id = c.id), '{}'::jsonb) as consent
  from contacts c`;

const toRecord = (r: ContactRecord): ContactRecord => ({ ...r, lastSeenAt: r.lastSeenAt ? new Date(r.lastSeenAt) : null, createdAt: new Date(r.createdAt), tags: r.tags ?? [] });

export interface ContactQuery {
  q?: string;
  tag?: string;
  filter?: SegmentFilter;
  cursor?: string;
  limit: number;
}

export async function listContacts(em: EntityManager, query: ContactQuery): Promise<Page<ContactRecord>> {
  const where: string[] = ['c.tenant_id = ?'];
  const params: unknown[] = [scopedTenant(em)];
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(`(c.name ilike ? or c.first_name ilike ? or c.last_name ilike ? or c.email ilike ? or c.phone ilike ? or (coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) ilike ?)`);
    params.push(like, like, like, like, like, like);
  }
  if (query.tag) {
    where.push(`c.tags @> array[?]::text[]`);
    params.push(query.tag.trim().toLowerCase());
  }
  if (query.filter) {
    const part = segmentSql(query.filter);
    where.push(part.sql);
    params.push(...part.params);
  }
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(`(c.created_at, c.id) < (?, ?)`);
    params.push(new Date(c.t), c.id);
  }
  const rows = await em.getConnection().execute<ContactRecord[]>(`${SELECT} where ${where.join(' and ')} order by c.created_at desc, c.id desc limit ?`, [...params, query.limit + 1]);
  const items = rows.slice(0, query.limit).map(toRecord);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export async function getContactRecord(em: EntityManager, id: string): Promise<ContactRecord | null> {
  const [row] = await em.getConnection().execute<ContactRecord[]>(`${SELECT} where c.tenant_id = ? and c.id = ?`, [scopedTenant(em), id]);
  return row ? toRecord(row) : null;
}

export type ContactFields = Partial<Pick<Contact, 'name' | 'firstName' | 'lastName' | 'email' | 'phone' | 'messengerPsid' | 'tags' | 'attributes' | 'timezone' | 'locale'>>;

/** Made through the API or the console: channel `api`, no channel identity. */
export async function createContact(em: EntityManager, tenantId: string, fields: ContactFields): Promise<string> {
  const contact = em.create(Contact, { tenant: tenantId, channel: 'api', externalId: null, attributes: {}, tags: [], createdAt: new Date(), ...fields });
  await em.flush();
  return contact.id;
}

/** Attributes merge (a null value removes the key); other given fields replace. False when not the tenant's. */
export async function updateContact(em: EntityManager, id: string, fields: ContactFields): Promise<boolean> {
  const contact = await em.findOne(Contact, { id });
  if (!contact) return false;
  const { attributes, ...rest } = fields;
  em.assign(contact, rest);
  if (attributes) {
    const merged: Record<string, unknown> = { ...contact.attributes, ...attributes };
    for (const [key, value] of Object.entries(attributes)) if (value === null) delete merged[key];
    contact.attributes = merged;
  }
  await em.flush();
  return true;
}

export async function deleteContact(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeDelete(Contact, { id })) > 0;
}
