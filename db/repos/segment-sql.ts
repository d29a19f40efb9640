/**
 * A segment filter (core/campaigns/segments.ts) compiled to one SQL condition over `contacts c`,
 * with its parameters. Every value is a bound parameter; the only text spliced in is the address
 * column, chosen from a closed table.
 */
import { CHANNEL_ADDRESS, type CampaignChannel, type SegmentCondition, type SegmentFilter } from '../../core/campaigns';

export interface SqlPart {
  sql: string;
  params: unknown[];
}

const ADDRESS_COLUMN: Record<(typeof CHANNEL_ADDRESS)[CampaignChannel], string> = { phone: 'c.phone', email: 'c.email', messengerPsid: 'c.messenger_psid' };

export const addressColumn = (channel: CampaignChannel) => ADDRESS_COLUMN[CHANNEL_ADDRESS[channel]];

const consentIs = (status: 'opted_in' | 'opted_out'): string =>
  `exists (select 1 from contact_consents cc where cc.contact_id = c.id and cc.channel = ? and cc.status = '${status}')`;

/** Reachable: has the channel's address and opted in (an opt-out replaces the opt-in row, so one row says it). */
export const reachableSql = (channel: CampaignChannel): SqlPart => ({
  sql: `(${addressColumn(channel)} is not null and ${addressColumn(channel)} <> '' and ${consentIs('opted_in')})`,
  params: [channel],
});

const since = (column: string, within: boolean): string =>
  within ? `${column} >= now() - make_interval(days => ?)` : `(${column} is null or ${column} < now() - make_interval(days => ?))`;

// No '?' in the pattern: the driver would read it as a parameter.
const NUMERIC = `'^-{0,1}[0-9]+([.][0-9]+){0,1}$'`;

function attributeSql(cond: Extract<SegmentCondition, { field: 'attribute' }>): SqlPart {
  const value = `c.attributes ->> ?`;
  switch (cond.op) {
    case 'exists':
      return { sql: `jsonb_exists(c.attributes, ?)`, params: [cond.key] };
    case 'not_exists':
      return { sql: `not jsonb_exists(c.attributes, ?)`, params: [cond.key] };
    case 'eq':
      return { sql: `${value} = ?`, params: [cond.key, String(cond.value ?? '')] };
    case 'neq':
      return { sql: `${value} is distinct from ?`, params: [cond.key, String(cond.value ?? '')] };
    case 'contains':
      return { sql: `strpos(lower(${value}), lower(?)) > 0`, params: [cond.key, String(cond.value ?? '')] };
    case 'gt':
    case 'lt': {
      const op = cond.op === 'gt' ? '>' : '<';
      // Numbers compare as numbers (CSV imports store "12" as text), anything else as text (ISO dates sort right).
      if (typeof cond.value === 'number')
        return { sql: `(case when ${value} ~ ${NUMERIC} then (${value})::numeric end) ${op} ?`, params: [cond.key, cond.key, cond.value] };
      return { sql: `${value} ${op} ?`, params: [cond.key, String(cond.value ?? '')] };
    }
  }
}

function conditionSql(cond: SegmentCondition): SqlPart {
  switch (cond.field) {
    case 'tag':
      // Tags are stored normalized (trimmed, lower case), so "VIP" in a filter finds "vip".
      return { sql: `${cond.op === 'has' ? '' : 'not '}(c.tags @> array[?]::text[])`, params: [cond.value.trim().toLowerCase()] };
    case 'attribute':
      return attributeSql(cond);
    case 'reachable':
      return reachableSql(cond.channel);
    case 'consent':
      if (cond.op === 'unknown') return { sql: `not exists (select 1 from contact_consents cc where cc.contact_id = c.id and cc.channel = ?)`, params: [cond.channel] };
      return { sql: consentIs(cond.op), params: [cond.channel] };
    case 'lastSeen':
      return { sql: since('c.last_seen_at', cond.op === 'within_days'), params: [cond.days] };
    case 'createdAt':
      return { sql: since('c.created_at', cond.op === 'within_days'), params: [cond.days] };
    case 'replied': {
      const exists = `exists (select 1 from conversations cv join messages m on m.conversation_id = cv.id
        where cv.contact_id = c.id and m.author = 'contact' and m.created_at >= now() - make_interval(days => ?))`;
      return { sql: cond.op === 'within_days' ? exists : `not ${exists}`, params: [cond.days] };
    }
  }
}

/** `true` for no conditions (everyone). */
export function segmentSql(filter: SegmentFilter): SqlPart {
  if (!filter.conditions.length) return { sql: 'true', params: [] };
  const parts = filter.conditions.map(conditionSql);
  return { sql: `(${parts.map((p) => `(${p.sql})`).join(filter.match === 'any' ? ' or ' : ' and ')})`, params: parts.flatMap((p) => p.params) };
}
