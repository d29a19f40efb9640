import { Migration } from '@mikro-orm/migrations';

/**
 * A turn's messages and their events in one call of a PL/pgSQL function, whose statement the
 * session plans once. The statement (db/repos/messages.ts, insertMessagesWithEvents) was sent as
 * SQL text with its values inlined, so every turn's text was new: PostgreSQL parsed, analysed and
 * planned its six CTEs again on every turn (about 1 ms of planning against 0.6 ms of executing it
 * on native PostgreSQL; in the embedded WASM PostgreSQL the statement took about 10 ms of the
 * server's CPU a turn, bench:turn). PL/pgSQL keeps a function's statement plans for the session:
 * after five custom plans it settles on a generic one. A server-side plan also works for PGlite,
 * whose connections share one session, where named prepared statements of two pooled clients would
 * collide. What the statement does is unchanged: the new messages are inserted unless their key
 * exists; a conversation that is not a test stores each new message's events with it (`onlyIfFirst`
 * only when the conversation had no message before); the conversation's last_message_at moves; a
 * contact's message moves the contact's last_seen_at and reads its SMS consent; the tenant's
 * enabled webhook subscriptions come back for the fan-out. Rows come back as JSON: the new rows
 * (`is_new` true), the existing ones (false), and one summary row (null).
 */
export class Migration20261229100000_message_batch_function extends Migration {
  override name = 'Migration20261229100000_message_batch_function';

  override up(): void {
    this.addSql(`create function insert_messages_with_events(
        p_messages jsonb, p_tenant uuid, p_conversation uuid, p_workflow text, p_events jsonb, p_seen_at timestamptz, p_inbound boolean)
      returns table (stored_row jsonb, is_new boolean) language plpgsql as $$
      #variable_conflict use_column
      begin
        return query
        with input as (
          select * from jsonb_to_recordset(p_messages) as m(ord int, id uuid, direction text, author text, text text, idempotency_key text,
            node_id text, source text, external_id text, prompt_tokens int, completion_tokens int, cost_usd numeric, model text,
            citations jsonb, metadata jsonb, created_at timestamptz)
        ), ins as (
          insert into messages (id, tenant_id, conversation_id, direction, author, text, idempotency_key, node_id, source, external_id,
                                prompt_tokens, completion_tokens, cost_usd, model, citations, metadata, created_at)
          select id, p_tenant, p_conversation, direction, author, text, idempotency_key, node_id, source, external_id,
                 prompt_tokens, completion_tokens, cost_usd, model, citations, metadata, created_at
          from input order by ord
          on conflict (idempotency_key) do nothing
          returning *
        ), conv as (
          select c.is_test, c.contact_id, not exists (select 1 from messages m where m.conversation_id = c.id) as first
          from conversations c where c.id = p_conversation and c.tenant_id = p_tenant
        ), bump as (
          update conversations set last_message_at = (select max(created_at) from ins)
          where id = p_conversation and tenant_id = p_tenant and exists (select 1 from ins)
        ), ev as (
          insert into events (id, tenant_id, type, workflow_id, data, created_at)
          select e.id, p_tenant, e.type, p_workflow, e.data, e.created_at
          from jsonb_to_recordset(p_events) as e(id uuid, key text, type text, data jsonb, "onlyIfFirst" boolean, created_at timestamptz), conv
          where exists (select 1 from ins where ins.idempotency_key = e.key) and not conv.is_test and (e."onlyIfFirst" is not true or conv.first)
          on conflict (id) do nothing
          returning id, type, data, created_at as "createdAt"
        ), seen as (
          update contacts c set last_seen_at = greatest(coalesce(c.last_seen_at, p_seen_at), p_seen_at)
          from conv where p_inbound and c.id = conv.contact_id and c.tenant_id = p_tenant
          returning c.id, c.locale,
            (select status from contact_consents where contact_id = c.id and channel = 'sms') as sms_status,
            (select source from contact_consents where contact_id = c.id and channel = 'sms') as sms_source
        ), subs as (
          select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'eventTypes', s.event_types)), '[]'::jsonb) as list
          from webhook_subscriptions s where s.tenant_id = p_tenant and s.enabled
        )
        select to_jsonb(ins), true from ins
        union all
        select to_jsonb(m), false from messages m join input i on m.idempotency_key = i.idempotency_key
        where m.tenant_id = p_tenant and not exists (select 1 from ins where ins.idempotency_key = i.idempotency_key)
        union all
        select jsonb_build_object('events', (select coalesce(jsonb_agg(ev), '[]'::jsonb) from ev), 'seen', (select to_jsonb(seen) from seen),
                                  'subscriptions', (select list from subs)), null::boolean;
      end $$;`);
  }

  override down(): void {
    this.addSql(`drop function insert_messages_with_events(jsonb, uuid, uuid, text, jsonb, timestamptz, boolean);`);
  }
}
