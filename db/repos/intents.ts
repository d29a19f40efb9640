/**
 * Intents and their labelled examples. `em` must be tenant-scoped (tenantEm); raw SQL names the
 * tenant itself. A taken name is a 409 naming the field; examples are unique per intent, so an
 * import run twice adds nothing the second time.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors';
import type { LabelledExample } from '../../core/intents/classifier';
import { Intent, IntentExample } from '../entities';

export interface IntentSummary {
  id: string;
  name: string;
  description: string;
  exampleCount: number;
  updatedAt: Date;
}

async function flushUniqueName(em: EntityManager) {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw new AppError('conflict', 'an intent with this name already exists', { field: 'name' });
    throw err;
  }
}

export async function listIntents(em: EntityManager, tenantId: string): Promise<IntentSummary[]> {
  const rows = await em.getConnection().execute<{ id: string; name: string; description: string; updated_at: Date; examples: string }[]>(
    `select i.id, i.name, i.description, i.updated_at, count(e.id) as examples from intents i
     left join intent_examples e on e.intent_id = i.id where i.tenant_id = ? group by i.id order by i.name`,
    [tenantId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, exampleCount: Number(r.examples), updatedAt: new Date(r.updated_at) }));
}

export async function getIntent(em: EntityManager, id: string): Promise<{ intent: Intent; examples: string[] } | null> {
  const intent = await em.findOne(Intent, { id });
  if (!intent) return null;
  const examples = await em.find(IntentExample, { intent: id }, { orderBy: { text: 'asc' } });
  return { intent, examples: examples.map((e) => e.text) };
}

/** A PostgreSQL array literal: the driver binds a JS array as a list of parameters, not as one array. */
const pgArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

const unique = (texts: string[]) => [...new Set(texts.map((t) => t.trim()).filter(Boolean))];

export async function createIntent(em: EntityManager, tenantId: string, input: { name: string; description: string; examples: string[] }) {
  return em.transactional(async (tx) => {
    const intent = tx.create(Intent, { tenant: tenantId, name: input.name, description: input.description });
    for (const text of unique(input.examples)) tx.create(IntentExample, { tenant: tenantId, intent: intent.id, text });
    await flushUniqueName(tx);
    return intent;
  });
}

/** `examples`, when given, replaces the intent's examples. */
export async function updateIntent(em: EntityManager, tenantId: string, id: string, patch: { name?: string; description?: string; examples?: string[] }) {
  return em.transactional(async (tx) => {
    const intent = await tx.findOne(Intent, { id });
    if (!intent) return null;
    if (patch.name !== undefined) intent.name = patch.name;
    if (patch.description !== undefined) intent.description = patch.description;
    if (patch.examples) {
      await tx.nativeDelete(IntentExample, { intent: id });
      for (const text of unique(patch.examples)) tx.create(IntentExample, { tenant: tenantId, intent: id, text });
      // A changed set of examples is a change of the intent (and of the model's version, below).
      intent.updatedAt = new Date();
    }
    await flushUniqueName(tx);
    return intent;
  });
}

export const deleteIntent = async (em: EntityManager, id: string) => (await em.nativeDelete(Intent, { id })) > 0;

/** Adds examples, creating the intents they name; examples already there count as duplicates. */
export async function importIntentExamples(em: EntityManager, tenantId: string, rows: LabelledExample[]) {
  return em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const names = [...new Set(rows.map((r) => r.intent))];
    const created = await conn.execute<{ id: string }[]>(
      `insert into intents (tenant_id, name) select ?, unnest(?::text[]) on conflict (tenant_id, name) do nothing returning id`,
      [tenantId, pgArray(names)],
    );
    const ids = await conn.execute<{ id: string; name: string }[]>(`select id, name from intents where tenant_id = ? and name = any(?::text[])`, [tenantId, pgArray(names)]);
    const idOf = new Map(ids.map((r) => [r.name, r.id]));
    const added = await conn.execute<{ id: string }[]>(
      `insert into intent_examples (tenant_id, intent_id, text) select ?, i, t from unnest(?::uuid[], ?::text[]) as x(i, t)
       on conflict (intent_id, text) do nothing returning id`,
      [tenantId, pgArray(rows.map((r) => idOf.get(r.intent)!)), pgArray(rows.map((r) => r.text))],
    );
    await conn.execute(`update intents set updated_at = now() where tenant_id = ? and name = any(?::text[])`, [tenantId, pgArray(names)]);
    return { intentsCreated: created.length, examplesAdded: added.length, duplicates: rows.length - added.length };
  });
}

/** What the classifier trains on, and a version that changes whenever it does. */
export async function trainingExamples(em: EntityManager, tenantId: string): Promise<{ version: string; examples: LabelledExample[] }> {
  const version = await examplesVersion(em, tenantId);
  const rows = await em.getConnection().execute<{ intent: string; text: string }[]>(
    `select i.name as intent, e.text from intent_examples e join intents i on i.id = e.intent_id where e.tenant_id = ? order by i.name, e.text`,
    [tenantId],
  );
  return { version, examples: rows };
}

/** Count and latest change of the intents and examples: any edit, import or delete moves it. */
export async function examplesVersion(em: EntityManager, tenantId: string): Promise<string> {
  const [row] = await em.getConnection().execute<{ examples: string; intents: string; changed: Date | null }[]>(
    `select (select count(*) from intent_examples where tenant_id = ?) as examples, count(*) as intents, max(updated_at) as changed from intents where tenant_id = ?`,
    [tenantId, tenantId],
  );
  return `${row!.intents}:${row!.examples}:${row!.changed ? new Date(row!.changed).getTime() : 0}`;
}
