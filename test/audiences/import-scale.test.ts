/**
 * The CSV import at its limit: 50,000 rows answer synchronously, and a re-import updates them all;
 * then the audience border walks them as a campaign materializer does (keyset pages, eligibility).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EVERYONE_FILTER, eligibility } from '../../core/campaigns';
import { tenantEm } from '../../db/orm';
import { countAudience, pageAudience } from '../../db/repos';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
});
afterAll(async () => stack?.close());

it('imports 50,000 rows in one request and re-imports them as updates', async () => {
  const { apiKey, tenantId } = await stack.createTenant();
  const rows = ['id,first_name,email,phone,tags,sms consent'];
  for (let i = 0; i < 50_000; i++) rows.push(`c${i},Guest ${i},guest${i}@example.com,+1415${String(2_000_000 + i).padStart(7, '0')},wine;list-${i % 7},${i % 3 ? 'yes' : 'no'}`);
  const body = rows.join('\n');
  const send = async () => {
    const started = Date.now();
    const res = await fetch(`${stack.url}/v1/contacts/import`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' }, body });
    const json = await res.json();
    expect(res.status, JSON.stringify(json).slice(0, 300)).toBe(200);
    return { ...json, wallMs: Date.now() - started };
  };
  const first = await send();
  expect(first).toMatchObject({ imported: 50_000, updated: 0, rejectedCount: 0 });
  const second = await send();
  expect(second).toMatchObject({ imported: 0, updated: 50_000, rejectedCount: 0 });
  console.log(`50,000-row import: ${first.wallMs} ms first, ${second.wallMs} ms re-import (${(body.length / 1024 / 1024).toFixed(1)} MB)`);
  expect(first.wallMs).toBeLessThan(120_000);
  const count = await stack.request('POST', '/v1/segments/count', { apiKey, body: { filter: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'list-3' }] } } });
  expect(count.body.total).toBe(7143);

  // What a campaign's materializer does: the whole audience in keyset pages of 1,000, each row judged.
  const em = tenantEm(stack.orm, tenantId);
  const walked = Date.now();
  let after: string | undefined;
  let walkedRows = 0;
  let eligible = 0;
  for (;;) {
    const page = await pageAudience(em, EVERYONE_FILTER, { afterContactId: after, limit: 1000 });
    if (!page.length) break;
    walkedRows += page.length;
    eligible += page.filter((r) => eligibility(r, 'sms').ok).length;
    after = page.at(-1)!.contactId;
  }
  const walkMs = Date.now() - walked;
  const counted = Date.now();
  const everyone = await countAudience(em, EVERYONE_FILTER);
  console.log(`pageAudience: ${walkedRows} rows in ${walkMs} ms (${Math.round(walkedRows / (walkMs / 1000))} rows/s); countAudience ${Date.now() - counted} ms`);
  expect(walkedRows).toBe(50_000);
  expect(eligible).toBe(everyone.reachable.sms);
  expect(eligible).toBe(33_333);
}, 180_000);
