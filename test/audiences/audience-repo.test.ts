/** The audience border on real PostgreSQL: segment filters, keyset pages, counts, consent changes, tenant isolation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibility, type SegmentFilter } from '../../core/campaigns';
import { Contact } from '../../db/entities';
import { tenantEm, type Orm } from '../../db/orm';
import { countAudience, insertMessageOnce, optIn, optOut, pageAudience } from '../../db/repos';
import { makeTenant, testOrm } from '../db/fixtures';

let orm: Orm;
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
const ids: Record<string, string> = {};

async function contact(tenantId: string, key: string, fields: Partial<Contact>) {
  const em = tenantEm(orm, tenantId);
  const row = em.create(Contact, { tenant: tenantId, channel: 'api', externalId: null, name: key, attributes: {}, tags: [], createdAt: new Date(), ...fields });
  await em.flush();
  ids[key] = row.id;
  return row.id;
}

beforeAll(async () => {
  orm = await testOrm();
  [a, b] = await Promise.all([makeTenant(orm), makeTenant(orm)]);
  const old = new Date(Date.now() - 90 * 86_400_000);
  await contact(a.tenantId, 'ana', { phone: '+14155550101', email: 'ana@example.com', tags: ['vip', 'wine'], attributes: { visits: '12', city: 'Lyon' }, lastSeenAt: new Date() });
  await contact(a.tenantId, 'bob', { phone: '+14155550102', tags: ['wine'], attributes: { visits: 3 }, lastSeenAt: old });
  await contact(a.tenantId, 'cy', { email: 'cy@example.com', tags: [], attributes: {}, createdAt: old });
  await contact(a.tenantId, 'dee', { messengerPsid: 'psid-1', tags: ['vip'] });
  await contact(b.tenantId, 'other', { phone: '+14155550199', tags: ['vip', 'wine'] });
  const em = tenantEm(orm, a.tenantId);
  await optIn(em, ids.ana!, 'sms', { method: 'import' });
  await optIn(em, ids.ana!, 'email', { method: 'import' });
  await optIn(em, ids.bob!, 'sms', { method: 'form', source: 'booking page' });
  await optIn(em, ids.cy!, 'email', { method: 'console' });
  await optOut(em, ids.cy!, 'email', { method: 'unsubscribe-link' });
  await optIn(em, ids.dee!, 'messenger', { method: 'api' });
  await optIn(tenantEm(orm, b.tenantId), ids.other!, 'sms', { method: 'import' });
  // Ana replied recently in a conversation of hers.
  const conv = await em.getConnection().execute<{ id: string }[]>(`update conversations set contact_id = ? where id = ? returning id`, [ids.ana, a.conversationId]);
  expect(conv).toHaveLength(1);
  await insertMessageOnce(em, a.tenantId, { conversationId: a.conversationId, direction: 'in', author: 'contact', text: 'hi', idempotencyKey: `${a.workflowId}:in:aud` });
});
afterAll(() => orm.close(true));

const names = async (filter: SegmentFilter, tenantId = a.tenantId) =>
  (await pageAudience(tenantEm(orm, tenantId), filter, { limit: 100 })).map((r) => r.name).sort();

describe('pageAudience', () => {
  it('compiles every condition kind, all and any', async () => {
    expect(await names({ match: 'all', conditions: [] })).toEqual(['ana', 'bob', 'cy', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'vip' }] })).toEqual(['ana', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'tag', op: 'has', value: ' VIP' }] })).toEqual(['ana', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'tag', op: 'not_has', value: 'wine' }] })).toEqual(['cy', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'vip' }, { field: 'tag', op: 'has', value: 'wine' }] })).toEqual(['ana']);
    expect(await names({ match: 'any', conditions: [{ field: 'tag', op: 'has', value: 'vip' }, { field: 'tag', op: 'has', value: 'wine' }] })).toEqual(['ana', 'bob', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'attribute', key: 'visits', op: 'gt', value: 5 }] })).toEqual(['ana']);
    expect(await names({ match: 'all', conditions: [{ field: 'attribute', key: 'visits', op: 'lt', value: 5 }] })).toEqual(['bob']);
    expect(await names({ match: 'all', conditions: [{ field: 'attribute', key: 'city', op: 'eq', value: 'Lyon' }] })).toEqual(['ana']);
    expect(await names({ match: 'all', conditions: [{ field: 'attribute', key: 'city', op: 'neq', value: 'Lyon' }] })).toEqual(['bob', 'cy', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'attribute', key: 'city', op: 'contains', value: 'ly' }] })).toEqual(['ana']);
    expect(await names({ match: 'all', conditions: [{ field: 'attribute', key: 'visits', op: 'exists' }] })).toEqual(['ana', 'bob']);
    expect(await names({ match: 'all', conditions: [{ field: 'attribute', key: 'visits', op: 'not_exists' }] })).toEqual(['cy', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'reachable', channel: 'sms' }] })).toEqual(['ana', 'bob']);
    expect(await names({ match: 'all', conditions: [{ field: 'reachable', channel: 'email' }] })).toEqual(['ana']);
    expect(await names({ match: 'all', conditions: [{ field: 'consent', channel: 'email', op: 'opted_out' }] })).toEqual(['cy']);
    expect(await names({ match: 'all', conditions: [{ field: 'consent', channel: 'sms', op: 'unknown' }] })).toEqual(['cy', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'lastSeen', op: 'within_days', days: 30 }] })).toEqual(['ana']);
    expect(await names({ match: 'all', conditions: [{ field: 'lastSeen', op: 'not_within_days', days: 30 }] })).toEqual(['bob', 'cy', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'replied', op: 'within_days', days: 30 }] })).toEqual(['ana']);
    expect(await names({ match: 'all', conditions: [{ field: 'replied', op: 'not_within_days', days: 30 }] })).toEqual(['bob', 'cy', 'dee']);
    expect(await names({ match: 'all', conditions: [{ field: 'createdAt', op: 'not_within_days', days: 30 }] })).toEqual(['cy']);
  });

  it('walks keyset pages in contact id order with addresses and consent', async () => {
    const em = tenantEm(orm, a.tenantId);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await pageAudience(em, { match: 'all', conditions: [] }, { afterContactId: after, limit: 3 });
      if (!page.length) break;
      seen.push(...page.map((r) => r.contactId));
      after = page.at(-1)!.contactId;
    }
    expect(seen).toEqual([...Object.entries(ids).filter(([k]) => k !== 'other').map(([, id]) => id)].sort());
    const [ana] = await pageAudience(em, { match: 'all', conditions: [{ field: 'attribute', key: 'city', op: 'eq', value: 'Lyon' }] }, { limit: 10 });
    expect(ana).toMatchObject({ phone: '+14155550101', email: 'ana@example.com', tags: ['vip', 'wine'], consent: { sms: 'opted_in', email: 'opted_in' } });
    expect(eligibility(ana!, 'sms')).toEqual({ ok: true, address: '+14155550101' });
    expect(eligibility(ana!, 'whatsapp')).toEqual({ ok: false, reason: 'no_consent' });
    expect(eligibility(ana!, 'messenger')).toEqual({ ok: false, reason: 'no_address' });
  });

  it("never returns another tenant's contacts and refuses an unscoped EntityManager", async () => {
    expect(await names({ match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'vip' }] }, b.tenantId)).toEqual(['other']);
    await expect(pageAudience(orm.em.fork(), { match: 'all', conditions: [] }, { limit: 1 })).rejects.toThrow(/tenant/);
  });
});

describe('countAudience', () => {
  it('counts the total and the reachable per channel', async () => {
    expect(await countAudience(tenantEm(orm, a.tenantId), { match: 'all', conditions: [] })).toEqual({ total: 4, reachable: { sms: 2, whatsapp: 0, email: 1, messenger: 1 } });
    expect(await countAudience(tenantEm(orm, a.tenantId), { match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'wine' }] })).toEqual({ total: 2, reachable: { sms: 2, whatsapp: 0, email: 1, messenger: 0 } });
    expect(await countAudience(tenantEm(orm, b.tenantId), { match: 'all', conditions: [] })).toEqual({ total: 1, reachable: { sms: 1, whatsapp: 0, email: 0, messenger: 0 } });
  });
});

describe('optOut / optIn', () => {
  it('is idempotent, says whether anything changed, and `all` covers every channel', async () => {
    const id = await contact(a.tenantId, 'eve', { phone: '+14155550103', email: 'eve@example.com' });
    const em = tenantEm(orm, a.tenantId);
    expect(await optIn(em, id, 'sms', { method: 'import' })).toBe(true);
    expect(await optIn(em, id, 'sms', { method: 'import' })).toBe(false);
    expect(await optOut(em, id, 'sms', { method: 'keyword', source: 'STOP' })).toBe(true);
    expect(await optOut(em, id, 'sms', { method: 'keyword', source: 'STOP' })).toBe(false);
    expect(await optOut(em, id, 'all', { method: 'list-unsubscribe' })).toBe(true);
    expect(await optOut(em, id, 'all', { method: 'list-unsubscribe' })).toBe(false);
    const rows = await em.getConnection().execute<{ channel: string; status: string; method: string; source: string | null; opted_in_at: Date | null; opted_out_at: Date | null }[]>(
      `select channel, status, method, source, opted_in_at, opted_out_at from contact_consents where contact_id = ? order by channel`, [id]);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([['email', 'opted_out'], ['messenger', 'opted_out'], ['sms', 'opted_out'], ['whatsapp', 'opted_out']]);
    const sms = rows.find((r) => r.channel === 'sms')!;
    expect(sms).toMatchObject({ method: 'keyword', source: 'STOP' });
    expect(sms.opted_in_at).toBeTruthy();
    expect(sms.opted_out_at).toBeTruthy();
    const [eve] = await pageAudience(em, { match: 'all', conditions: [{ field: 'attribute', key: 'none', op: 'not_exists' }, { field: 'tag', op: 'not_has', value: 'x' }] }, { afterContactId: undefined, limit: 100 }).then((r) => r.filter((x) => x.contactId === id));
    expect(eligibility(eve!, 'sms')).toEqual({ ok: false, reason: 'opted_out' });
  });

  it("cannot change another tenant's contact", async () => {
    expect(await optOut(tenantEm(orm, a.tenantId), ids.other!, 'all', { method: 'api' })).toBe(false);
    expect(await countAudience(tenantEm(orm, b.tenantId), { match: 'all', conditions: [{ field: 'reachable', channel: 'sms' }] })).toMatchObject({ total: 1 });
  });
});
