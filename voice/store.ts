/**
 * The voice module's one database file: the `calls` rows and what a call writes elsewhere (the
 * caller's contact, the conversation its transcript joins, the transcript's messages). Raw SQL
 * carries its own `tenant_id` condition (the tenant filter does not see raw statements).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { normalizePhone } from '../core/campaigns/contact-fields';
import { stripUnstorableDeep } from '../core/text';
import type { BeganCall, BeginCallInput, CallTurnInput } from '../core/voice/calls';
import { tenantEm } from '../db/orm';
import { createConversation, getFlowVersion, upsertContact } from '../db/repos';
import { Contact } from '../db/entities';
import { AppError } from '../core/errors';

/** E.164 of a number as Twilio sent it; null for `anonymous`, `restricted` or anything unparseable. */
export function e164(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const checked = normalizePhone(raw);
  return checked.ok ? checked.value : null;
}

/** How many earlier messages of a continued conversation the call's model context starts with. */
const RECENT_MESSAGES = 20;

/**
 * The caller (inbound: From; outbound: To) is found or created by E.164 number; their open
 * conversation (any channel) continues, else a voice conversation opens. The call row is upserted
 * on (tenant, CallSid), so a retried attempt finds what the first one wrote.
 */
export async function beginCall(orm: MikroORM, input: BeginCallInput): Promise<BeganCall> {
  const em = tenantEm(orm, input.tenantId);
  const conn = em.getConnection();
  const phone = e164(input.direction === 'inbound' ? input.from : input.to);
  // An outbound call's row was written by POST /v1/calls (maybe before Twilio's sid was on it): it is this call.
  if (input.callId) await conn.execute(`update calls set call_sid = coalesce(call_sid, ?) where id = ? and tenant_id = ?`, [input.callSid, input.callId, input.tenantId]);
  const [existing] = await conn.execute<{ id: string; contact_id: string | null; conversation_id: string | null }[]>(
    `select id, contact_id, conversation_id from calls where tenant_id = ? and call_sid = ?`,
    [input.tenantId, input.callSid],
  );
  let contactId = existing?.contact_id ?? input.contactId;
  // A caller found or created by number comes back with their name: no second read for it.
  let contact: { name: string | null; first_name: string | null } | undefined;
  if (!contactId && phone) {
    const found = await upsertContact(em, input.tenantId, 'voice', phone, { phone });
    contactId = found.id;
    contact = { name: found.name ?? null, first_name: found.firstName ?? null };
  } else if (contactId) {
    [contact] = await conn.execute<{ name: string | null; first_name: string | null }[]>(`select name, first_name from contacts where id = ? and tenant_id = ?`, [contactId, input.tenantId]);
  }
  let conversationId = existing?.conversation_id ?? null;
  let continued = false;
  if (!conversationId && contactId) {
    const [open] = await conn.execute<{ id: string }[]>(
      `select id from conversations where tenant_id = ? and contact_id = ? and status <> 'closed' and is_test = false order by last_message_at desc limit 1`,
      [input.tenantId, contactId],
    );
    if (open) {
      conversationId = open.id;
      continued = true;
    }
  }
  let opened = false;
  if (!conversationId && input.answered !== false) {
    const created = await createConversation(em, input.tenantId, {
      flowId: input.flowId,
      flowVersion: input.flowVersion,
      channel: 'voice',
      contactId,
      channelId: input.channelId,
      threadKey: phone ?? input.callSid,
    });
    conversationId = created.id;
    opened = true;
  }
  const [row] = await conn.execute<{ id: string }[]>(
    `insert into calls (tenant_id, channel_id, call_sid, direction, from_number, to_number, status, answered_by, contact_id, conversation_id, workflow_id, flow_id, flow_version, started_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, case when ? then now() end)
     on conflict (tenant_id, call_sid) do update set
       contact_id = coalesce(calls.contact_id, excluded.contact_id), conversation_id = coalesce(calls.conversation_id, excluded.conversation_id),
       workflow_id = excluded.workflow_id, flow_id = coalesce(calls.flow_id, excluded.flow_id), flow_version = coalesce(calls.flow_version, excluded.flow_version),
       answered_by = coalesce(excluded.answered_by, calls.answered_by), started_at = coalesce(calls.started_at, excluded.started_at),
       status = case when calls.status in ('queued', 'ringing') then excluded.status else calls.status end, updated_at = now()
     returning id`,
    [input.tenantId, input.channelId, input.callSid, input.direction, input.from, input.to, input.answered === false ? 'queued' : 'in-progress', input.answeredBy, contactId, conversationId, input.workflowId, input.flowId, input.flowVersion, input.answered !== false],
  );
  // A conversation opened by this call has nothing to remember yet.
  const recent = conversationId && !opened
    ? await conn.execute<{ author: string; text: string }[]>(
        `select author, text from messages where conversation_id = ? and tenant_id = ? order by created_at desc, id desc limit ?`,
        [conversationId, input.tenantId, RECENT_MESSAGES],
      )
    : [];
  return {
    callId: row.id,
    contactId: contactId ?? null,
    conversationId,
    contactName: contact?.first_name || contact?.name || null,
    phone,
    continued,
    recent: recent.reverse().map((m) => ({ role: m.author === 'contact' ? 'user' : 'assistant', content: m.text })),
  };
}

/**
 * One statement for a webhook's transcript lines (once each, by key; in the webhook's order) and
 * the call row's progress: a caller waits on it, so one round trip and one commit, not one per
 * line. A key already stored (a retried attempt) bumps nothing. Raw SQL: the tenant conditions
 * are written out.
 */
const RECORD_TURN = `
with line as (
  select * from jsonb_to_recordset(?::jsonb) as x(seq int, key text, direction text, author text, text text, node_id text, source text, metadata jsonb)
), ins as (
  insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, node_id, source, metadata, created_at)
  select ?, ?, direction, author, text, key, node_id, source, metadata, now() + seq * interval '1 microsecond' from line order by seq
  on conflict (idempotency_key) do nothing
  returning created_at
), bump as (
  update conversations set last_message_at = (select max(created_at) from ins) where id = ? and tenant_id = ? and exists (select 1 from ins)
)
update calls set status = coalesce(?, status), path = ?, current_node_id = ?, duration_seconds = coalesce(?, duration_seconds),
  answered_by = coalesce(?, answered_by), recording_keys = ?, ended_at = case when ? then coalesce(ended_at, now()) else ended_at end, updated_at = now()
where id = ? and tenant_id = ?`;

/** The webhook's transcript lines (once each, by key) and the call row's progress. */
export async function recordCallTurn(orm: MikroORM, input: CallTurnInput): Promise<void> {
  const lines = (input.conversationId ? input.lines : []).map((line, seq) => ({
    seq,
    key: line.key,
    direction: line.author === 'contact' ? 'in' : 'out',
    author: line.author,
    text: stripUnstorableDeep(line.text),
    node_id: line.nodeId,
    source: line.source,
    metadata: stripUnstorableDeep({ channel: 'voice', ...(line.metadata ?? {}) }),
  }));
  await tenantEm(orm, input.tenantId)
    .getConnection()
    .execute(RECORD_TURN, [
      JSON.stringify(lines),
      input.tenantId,
      input.conversationId,
      input.conversationId,
      input.tenantId,
      input.status,
      JSON.stringify(input.path),
      input.currentNodeId,
      input.durationSeconds,
      input.answeredBy,
      JSON.stringify(input.recordingKeys),
      input.ended,
      input.callId,
      input.tenantId,
    ]);
}

export interface OutboundCallContext {
  flowId: string | null;
  flowVersion: number | null;
  contactId: string | null;
  variables: Record<string, unknown>;
  from: string;
  to: string;
}

/** What POST /v1/calls stored for an outbound call, read when Twilio fetches its first TwiML. */
export async function outboundCallContext(orm: MikroORM, tenantId: string, callId: string): Promise<OutboundCallContext | null> {
  const [row] = await tenantEm(orm, tenantId)
    .getConnection()
    .execute<{ flow_id: string | null; flow_version: number | null; contact_id: string | null; variables: Record<string, unknown>; from_number: string; to_number: string }[]>(
      `select flow_id, flow_version, contact_id, variables, from_number, to_number from calls where id = ? and tenant_id = ? and direction = 'outbound'`,
      [callId, tenantId],
    );
  return row ? { flowId: row.flow_id, flowVersion: row.flow_version, contactId: row.contact_id, variables: row.variables ?? {}, from: row.from_number, to: row.to_number } : null;
}

export interface NewOutboundCall {
  tenantId: string;
  channelId: string;
  from: string;
  to: string;
  flowId: string;
  flowVersion: number;
  contactId: string | null;
  variables: Record<string, unknown>;
  machineDetection: string | null;
  /** A flow's placeCall node: a retried activity finds the row (and the call) its first attempt made. */
  idempotencyKey: string | null;
}

/** The row of an outbound call before Twilio places it (its id goes into the call's Url); `created` false when the key's row existed. */
export async function insertOutboundCall(orm: MikroORM, c: NewOutboundCall): Promise<{ id: string; created: boolean }> {
  const conn = tenantEm(orm, c.tenantId).getConnection();
  const [row] = await conn.execute<{ id: string }[]>(
    `insert into calls (tenant_id, channel_id, direction, from_number, to_number, status, contact_id, flow_id, flow_version, variables, machine_detection, idempotency_key)
     values (?, ?, 'outbound', ?, ?, 'queued', ?, ?, ?, ?, ?, ?) on conflict (tenant_id, idempotency_key) do nothing returning id`,
    [c.tenantId, c.channelId, c.from, c.to, c.contactId, c.flowId, c.flowVersion, JSON.stringify(stripUnstorableDeep(c.variables)), c.machineDetection, c.idempotencyKey],
  );
  if (row) return { id: row.id, created: true };
  const [existing] = await conn.execute<{ id: string }[]>(`select id from calls where tenant_id = ? and idempotency_key = ?`, [c.tenantId, c.idempotencyKey]);
  return { id: existing.id, created: false };
}

/** The flow's latest published version and the contact called (named, or found / created by number). */
export async function outboundTargets(orm: MikroORM, tenantId: string, t: { flowId: string; contactId: string | null; to: string }): Promise<{ flowVersion: number; contactId: string }> {
  const em = tenantEm(orm, tenantId);
  const version = await getFlowVersion(em, t.flowId);
  if (!version) throw new AppError('not_found', 'flow not found or never published', { field: 'flowId' });
  if (t.contactId) {
    const contact = await em.findOne(Contact, { id: t.contactId });
    if (!contact) throw new AppError('not_found', 'contact not found', { field: 'contactId' });
    return { flowVersion: version.version, contactId: contact.id };
  }
  return { flowVersion: version.version, contactId: (await upsertContact(em, tenantId, 'voice', t.to, { phone: t.to })).id };
}

/** Twilio accepted the call (its sid), or refused it (the reason; the call is failed). */
export async function settleOutboundCall(orm: MikroORM, tenantId: string, callId: string, outcome: { callSid: string } | { error: string }): Promise<void> {
  const conn = tenantEm(orm, tenantId).getConnection();
  if ('callSid' in outcome) await conn.execute(`update calls set call_sid = coalesce(call_sid, ?), updated_at = now() where id = ? and tenant_id = ?`, [outcome.callSid, callId, tenantId]);
  else await conn.execute(`update calls set status = 'failed', error = ?, ended_at = now(), updated_at = now() where id = ? and tenant_id = ?`, [outcome.error.slice(0, 1000), callId, tenantId]);
}

export interface CallRow {
  id: string;
  call_sid: string | null;
  channel_id: string | null;
  direction: 'inbound' | 'outbound';
  from_number: string;
  to_number: string;
  status: string;
  answered_by: string | null;
  contact_id: string | null;
  conversation_id: string | null;
  workflow_id: string | null;
  flow_id: string | null;
  flow_version: number | null;
  path: string[];
  current_node_id: string | null;
  recording_keys: string[];
  duration_seconds: number | null;
  error: string | null;
  started_at: Date | null;
  ended_at: Date | null;
  created_at: Date;
}

const COLUMNS = `id, call_sid, channel_id, direction, from_number, to_number, status, answered_by, contact_id, conversation_id, workflow_id, flow_id, flow_version,
  path, current_node_id, recording_keys, duration_seconds, error, started_at, ended_at, created_at`;

export async function getCall(orm: MikroORM, tenantId: string, id: string): Promise<CallRow | null> {
  const [row] = await tenantEm(orm, tenantId).getConnection().execute<CallRow[]>(`select ${COLUMNS} from calls where id = ? and tenant_id = ?`, [id, tenantId]);
  return row ?? null;
}

export interface CallFilter {
  status?: string;
  direction?: string;
  contactId?: string;
  conversationId?: string;
  /** Keyset: (created_at, id) of the last row of the previous page. */
  before?: { createdAt: Date; id: string };
  limit: number;
}

/** The tenant's calls, newest first. */
export async function listCalls(orm: MikroORM, tenantId: string, f: CallFilter): Promise<CallRow[]> {
  const where = ['tenant_id = ?'];
  const params: unknown[] = [tenantId];
  if (f.status) (where.push('status = ?'), params.push(f.status));
  if (f.direction) (where.push('direction = ?'), params.push(f.direction));
  if (f.contactId) (where.push('contact_id = ?'), params.push(f.contactId));
  if (f.conversationId) (where.push('conversation_id = ?'), params.push(f.conversationId));
  if (f.before) (where.push('(created_at, id) < (?, ?)'), params.push(f.before.createdAt, f.before.id));
  params.push(f.limit);
  return tenantEm(orm, tenantId)
    .getConnection()
    .execute<CallRow[]>(`select ${COLUMNS} from calls where ${where.join(' and ')} order by created_at desc, id desc limit ?`, params);
}
