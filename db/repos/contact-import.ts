/**
 * A batch of imported contacts into the database: known by import key (the CSV's id or the
 * normalized phone/email), else a contact the tenant already had by that phone or email (made by a
 * channel) adopts the key, else a new contact. One upsert per batch; empty cells never erase,
 * tags and attributes add up. Consent follows the rows, except that an import never turns an
 * opt-out made another way (STOP, an unsubscribe link, the console) back into an opt-in.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportedContact } from '../../core/campaigns/contact-import';
import { scopedTenant } from './audience';

export interface ImportBatchResult {
  imported: number;
  updated: number;
  optOutsKept: number;
}

const asJson = (values: unknown) => JSON.stringify(values);

/** Rows of one batch have distinct keys (the caller merges repeats). */
export async function upsertImportBatch(em: EntityManager, rows: ImportedContact[], source: string): Promise<ImportBatchResult> {
  if (!rows.length) return { imported: 0, updated: 0, optOutsKept: 0 };
  const conn = em.getConnection();
  const tenantId = scopedTenant(em);

  const known = new Set(
    (await conn.execute<{ import_key: string }[]>(`select import_key from contacts where tenant_id = ? and import_key in (select jsonb_array_elements_text(?::jsonb))`, [tenantId, asJson(rows.map((r) => r.key))])).map(
      (r) => r.import_key,
    ),
  );
  await adoptChannelContacts(em, tenantId, rows.filter((r) => !known.has(r.key)));

  const upserted = await conn.execute<{ id: string; import_key: string; inserted: boolean }[]>(
    `insert into contacts (tenant_id, channel, import_key, name, first_name, last_name, email, phone, messenger_psid, tags, attributes, timezone, locale)
     select ?, 'api', v.key, v.name, v."firstName", v."lastName", v.email, v.phone, v."messengerPsid",
            coalesce(array(select jsonb_array_elements_text(v.tags)), '{}'), coalesce(v.attributes, '{}'::jsonb), v.timezone, v.locale
       from jsonb_to_recordset(?::jsonb) as v(key text, name text, "firstName" text, "lastName" text, email text, phone text, "messengerPsid" text,
                                             tags jsonb, attributes jsonb, timezone text, locale text)
     on conflict (tenant_id, import_key) where import_key is not null do update set
       name = coalesce(excluded.name, contacts.name), first_name = coalesce(excluded.first_name, contacts.first_name),
       last_name = coalesce(excluded.last_name, contacts.last_name), email = coalesce(excluded.email, contacts.email),
       phone = coalesce(excluded.phone, contacts.phone), messenger_psid = coalesce(excluded.messenger_psid, contacts.messenger_psid),
       tags = array(select distinct t from unnest(contacts.tags || excluded.tags) as t order by t),
       attributes = contacts.attributes || excluded.attributes,
       timezone = coalesce(excluded.timezone, contacts.timezone), locale = coalesce(excluded.locale, contacts.locale)
     returning id, import_key, (xmax = 0) as inserted`,
    [tenantId, asJson(rows)],
  );
  const idOf = new Map(upserted.map((r) => [r.import_key, r.id]));
  const imported = upserted.filter((r) => r.inserted).length;
  const optOutsKept = await importConsent(em, tenantId, rows.flatMap((r) => Object.entries(r.consent ?? {}).map(([channel, status]) => ({ contactId: idOf.get(r.key)!, channel, status }))), source);
  return { imported, updated: upserted.length - imported, optOutsKept };
}

/** Rows with a new key whose phone (else email) belongs to a contact without a key: that contact takes the key. */
async function adoptChannelContacts(em: EntityManager, tenantId: string, rows: ImportedContact[]): Promise<void> {
  const phones = rows.flatMap((r) => (r.phone ? [r.phone] : []));
  const emails = rows.flatMap((r) => (r.email ? [r.email] : []));
  if (!phones.length && !emails.length) return;
  const found = await em.getConnection().execute<{ id: string; phone: string | null; email: string | null }[]>(
    `select id, phone, email from contacts where tenant_id = ? and import_key is null
        and (phone in (select jsonb_array_elements_text(?::jsonb)) or email in (select jsonb_array_elements_text(?::jsonb)))
      order by created_at, id`,
    [tenantId, asJson(phones), asJson(emails)],
  );
  const byPhone = new Map<string, string>();
  const byEmail = new Map<string, string>();
  for (const f of found) {
    if (f.phone && !byPhone.has(f.phone)) byPhone.set(f.phone, f.id);
    if (f.email && !byEmail.has(f.email)) byEmail.set(f.email, f.id);
  }
  const taken = new Set<string>();
  const adopt: { id: string; key: string }[] = [];
  for (const r of rows) {
    const id = (r.phone && byPhone.get(r.phone)) || (r.email && byEmail.get(r.email));
    if (!id || taken.has(id)) continue;
    taken.add(id);
    adopt.push({ id, key: r.key });
  }
  if (!adopt.length) return;
  await em.getConnection().execute(
    `update contacts c set import_key = v.key from jsonb_to_recordset(?::jsonb) as v(id uuid, key text) where c.id = v.id and c.tenant_id = ? and c.import_key is null`,
    [asJson(adopt), tenantId],
  );
}

/** Returns how many opt-ins were refused because the contact had opted out another way. */
async function importConsent(em: EntityManager, tenantId: string, changes: { contactId: string; channel: string; status: string }[], source: string): Promise<number> {
  if (!changes.length) return 0;
  const [kept] = await em.getConnection().execute<{ n: string }[]>(
    `select count(*) as n from jsonb_to_recordset(?::jsonb) as v("contactId" uuid, channel text, status text)
       join contact_consents cc on cc.contact_id = v."contactId" and cc.channel = v.channel
      where v.status = 'opted_in' and cc.status = 'opted_out' and cc.method <> 'import'`,
    [asJson(changes)],
  );
  await em.getConnection().execute(
    `insert into contact_consents (tenant_id, contact_id, channel, status, method, source, opted_in_at, opted_out_at, updated_at)
     select ?, v."contactId", v.channel, v.status, 'import', ?, case when v.status = 'opted_in' then now() end, case when v.status = 'opted_out' then now() end, now()
       from jsonb_to_recordset(?::jsonb) as v("contactId" uuid, channel text, status text)
     on conflict (contact_id, channel) do update set
       status = excluded.status, method = 'import', source = excluded.source, updated_at = now(),
       opted_in_at = coalesce(excluded.opted_in_at, contact_consents.opted_in_at), opted_out_at = coalesce(excluded.opted_out_at, contact_consents.opted_out_at)
      where contact_consents.status is distinct from excluded.status
        and not (contact_consents.status = 'opted_out' and contact_consents.method <> 'import')`,
    [tenantId, source, asJson(changes)],
  );
  return Number(kept?.n ?? 0);
}
