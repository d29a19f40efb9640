/**
 * The grader's surface end to end on the real stack (API, worker, Temporal dev server, PostgreSQL,
 * Redis), a local website, the three listing fakes and a fake SMTP server: listing accounts stored
 * encrypted and used by an audit; share links (open without login, revocable, forged ones refused);
 * the PDF parsed back; what changed between two audits; the public grader (timing, honeypot,
 * consent, limits, the contact with its opt-in, the mailed report); re-audits as a Schedule; and
 * tenant B's key on every one of tenant A's objects.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSecretKey } from '../../db/secrets';
import { systemEm, tenantEm } from '../../db/orm';
import { tenantById } from '../../db/repos';
import { chatTokenKey } from '../../api/services/chat-token';
import { formToken } from '../../api/services/presence-links';
import { Redis } from 'ioredis';
import { PresenceFollowUpClient } from '../../temporal/presence-follow-up';
import { ensurePresenceSchedules } from '../../worker/schedules';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { KEYS, startListingFakes } from './listing-fixtures';
import { startSite } from './site';

let stack: Stack;
let smtp: FakeSmtp;
let fakes: Awaited<ReturnType<typeof startListingFakes>>;
let site: Awaited<ReturnType<typeof startSite>>;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };
let firstAudit: string;

const call = (t: { apiKey: string } | null, method: string, path: string, body?: unknown) => stack.request(method, path, { apiKey: t?.apiKey, body });
const ok = async (t: { apiKey: string }, method: string, path: string, body?: unknown) => {
  const res = await call(t, method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
};

async function finishedAudit(t: { apiKey: string }, id: string) {
  for (let i = 0; i < 300; i++) {
    const view = await ok(t, 'GET', `/v1/presence/audits/${id}`);
    if (view.status !== 'running') return view;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`audit ${id} did not finish`);
}

const audit = async (t: { apiKey: string }) => finishedAudit(t, (await ok(t, 'POST', '/v1/presence/audits', { url: site.url })).id);

beforeAll(async () => {
  [smtp, fakes, site] = await Promise.all([startFakeSmtp(), startListingFakes(), startSite()]);
  stack = await startStack({ ...sharedServers(), env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: 'Grader <grader@switchboard.test>' } });
  a = await stack.createTenant();
  b = await stack.createTenant();
  await ok(a, 'PUT', '/v1/settings/google-places', { baseURL: fakes.google.url, apiKey: KEYS.google });
  await ok(a, 'PUT', '/v1/settings/yelp', { baseURL: fakes.yelp.url, apiKey: KEYS.yelp });
  await ok(a, 'PUT', '/v1/settings/facebook-graph', { baseURL: fakes.facebook.url, apiKey: KEYS.facebook });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await Promise.all([smtp?.close(), fakes?.close(), site?.close()]);
});

describe('listing accounts', () => {
  it('are stored encrypted, never shown, tested with one call, and refused for an address the policy refuses', async () => {
    expect(await ok(a, 'GET', '/v1/settings/yelp')).toEqual({ configured: true, baseURL: fakes.yelp.url, apiKeySet: true });
    const stored = (await tenantById(systemEm(stack.orm), a.tenantId))!.settings.yelp!;
    expect(stored.apiKeyEncrypted).not.toContain(KEYS.yelp);
    expect(await ok(a, 'POST', '/v1/settings/yelp/test', {})).toMatchObject({ ok: true });
    expect(await ok(a, 'POST', '/v1/settings/google-places/test', { apiKey: 'wrong' })).toMatchObject({ ok: false, detail: 'the provider answered HTTP 400' });
    const refused = await call(a, 'PUT', '/v1/settings/facebook-graph', { baseURL: 'http://10.1.2.3', apiKey: 'x' });
    expect([refused.status, refused.body.error.field]).toEqual([400, 'baseURL']);
  });
});

describe('an audit with listings', () => {
  it('reads the listings through the tenant’s accounts and compares them', async () => {
    const view = await audit(a);
    firstAudit = view.id;
    expect(view.status).toBe('completed');
    const checks = Object.fromEntries(view.report.checks.map((c: any) => [c.id, c]));
    expect(checks['listings.google'].status).toBe('pass');
    expect(checks['listings.facebook'].status).toBe('pass');
    expect(checks['reviews.rating'].status).toBe('pass');
    expect(checks['consistency.phone'].status).toBe('fail');
    expect(view.report.sources).toEqual(expect.arrayContaining(['google', 'yelp', 'facebook']));
  }, 60_000);
});

describe('share links', () => {
  it('open the report without login until revoked; forged or other tenants’ tokens open nothing', async () => {
    const link = await ok(a, 'POST', `/v1/presence/audits/${firstAudit}/share-links`);
    const path = new URL(link.url).pathname;
    const page = await fetch(stack.url + path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Same phone everywhere');
    expect(html).toContain('(217) 555-0199');
    const forged = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(stack.url + forged)).status).toBe(404);
    expect((await fetch(stack.url + new URL(link.pdfUrl).pathname)).headers.get('content-type')).toBe('application/pdf');
    expect((await call(b, 'DELETE', `/v1/presence/share-links/${link.id}`)).status).toBe(404);
    expect((await fetch(stack.url + path)).status).toBe(200);
    expect((await call(a, 'DELETE', `/v1/presence/share-links/${link.id}`)).status).toBe(204);
    expect((await fetch(stack.url + path)).status).toBe(404);
    const listed = await ok(a, 'GET', `/v1/presence/audits/${firstAudit}/share-links`);
    expect(listed.items[0]).toMatchObject({ id: link.id, revokedAt: expect.any(String) });
  });
});

describe('PDF export', () => {
  it('is the report, parsed back: grade, categories, recommendations, checks with evidence', async () => {
    const res = await fetch(`${stack.url}/v1/presence/audits/${firstAudit}/pdf`, { headers: { authorization: `Bearer ${a.apiKey}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="presence-report-127\.0\.0\.1-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const pdf = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
    const { text } = await extractText(pdf, { mergePages: true });
    const view = await ok(a, 'GET', `/v1/presence/audits/${firstAudit}`);
    expect(text).toContain('Presence report for Trattoria Sole');
    expect(text).toContain(`${view.report.overall} / 100`);
    expect(text).toContain('Use one phone number everywhere');
    expect(text).toContain('[FAIL] Same phone everywhere');
    expect(text).toContain('555-0199');
  });
});

describe('history', () => {
  it('says what changed between two audits of the same site', async () => {
    site.set({ name: 'Trattoria Sole', telephone: '(217) 555-0142' });
    try {
      const second = await audit(a);
      const changes = await ok(a, 'GET', `/v1/presence/audits/${second.id}/changes`);
      expect(changes.from.id).toBe(firstAudit);
      expect(changes.overall.delta).toBe(second.report.overall - changes.overall.from);
      // The website no longer links its Facebook page: that listing is lost, and with it the odd phone and Friday hours.
      const moved = Object.fromEntries(changes.checks.map((c: any) => [c.id, `${c.from}→${c.to}`]));
      expect(moved).toMatchObject({ 'listings.facebook': 'pass→fail', 'consistency.phone': 'fail→pass', 'consistency.hours': 'fail→pass' });
      expect(changes.categories.find((c: any) => c.category === 'listings')).toMatchObject({ from: 100, to: 70 });
      const list = await ok(a, 'GET', `/v1/presence/audits?url=${encodeURIComponent(site.url)}`);
      expect(list.items.map((i: any) => i.id)).toEqual([second.id, firstAudit]);
      const bad = await call(a, 'GET', `/v1/presence/audits/${second.id}/changes?since=nope`);
      expect([bad.status, bad.body.error.field]).toEqual([400, 'since']);
    } finally {
      site.set((await import('./site')).trattoriaJsonLd);
    }
  }, 60_000);
});

describe('the public grader', () => {
  let slug: string;
  let key: Buffer;
  const token = (tenantId: string, ageSeconds: number) => formToken(key, tenantId, Math.floor(Date.now() / 1000) - ageSeconds);
  const submit = (body: Record<string, unknown>) => stack.request('POST', `/v1/public/grader/${slug}/audits`, { body });

  beforeAll(async () => {
    key = chatTokenKey(parseSecretKey(stack.config.SWITCHBOARD_SECRET_KEY!));
    slug = (await tenantById(systemEm(stack.orm), a.tenantId))!.slug;
    // The per-site limit counts across tenants for a day: this machine's earlier runs audited the same host.
    const r = new Redis(sharedServers().redisUrl);
    await r.del('ratelimit:grader-site-all:127.0.0.1');
    r.disconnect();
  });

  it('is off (404) until an admin turns it on; the page carries a fresh form token', async () => {
    expect((await fetch(`${stack.url}/grader/${slug}`)).status).toBe(404);
    await ok(a, 'PUT', '/v1/settings/public-grader', { enabled: true, title: 'Grade your site' });
    const page = await fetch(`${stack.url}/grader/${slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Grade your site</h1>');
    expect(html).toMatch(/id="formToken" type="hidden" value="\d+\.[A-Za-z0-9_-]+"/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-/);
  });

  it('refuses bots and bad input naming the field: too fast, stale, foreign token, honeypot, no consent', async () => {
    const base = { websiteUrl: site.url, email: 'bot@example.com', consent: true };
    const field = async (body: Record<string, unknown>) => (await submit(body)).body.error.field;
    expect(await field({ ...base, formToken: token(a.tenantId, 0) })).toBe('formToken');
    expect(await field({ ...base, formToken: token(a.tenantId, 7200) })).toBe('formToken');
    expect(await field({ ...base, formToken: token(b.tenantId, 10) })).toBe('formToken');
    expect(await field({ ...base, formToken: token(a.tenantId, 10), company: 'ACME' })).toBe('company');
    expect(await field({ ...base, consent: false, formToken: token(a.tenantId, 10) })).toBe('consent');
    expect(await field({ ...base, email: 'not-an-email', formToken: token(a.tenantId, 10) })).toBe('email');
  });

  it('makes the contact with its email opt-in, audits the site and mails the report', async () => {
    const res = await submit({ websiteUrl: site.url, email: 'Owner@Trattoria.example', name: 'Gina', consent: true, formToken: token(a.tenantId, 10) });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    let status: any;
    for (let i = 0; i < 300; i++) {
      status = (await stack.request('GET', `/v1/public/grader/${slug}/leads/${res.body.id}?token=${res.body.token}`)).body;
      if (status.status === 'mailed' || status.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toMatchObject({ status: 'mailed', progress: 100, grade: expect.stringMatching(/^[A-F]$/) });
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelope.to).toEqual(['owner@trattoria.example']);
    expect(mail.subject).toBe(`Your website grade: ${status.grade} (${status.score}/100) — 127.0.0.1`);
    expect(mail.parsed.html).toContain('What to do first');
    const em = tenantEm(stack.orm, a.tenantId);
    const [contact] = await em.getConnection().execute(`select c.id, c.name, c.tags, cc.status, cc.method, cc.source from contacts c join contact_consents cc on cc.contact_id = c.id where c.tenant_id = ? and c.email = ?`, [a.tenantId, 'owner@trattoria.example']);
    expect(contact).toMatchObject({ name: 'Gina', tags: ['grader-lead'], status: 'opted_in', method: 'form' });
    expect(contact.source).toContain('Email me the report');
    // Another tenant's page, or a wrong token, does not show the lead.
    expect((await stack.request('GET', `/v1/public/grader/${slug}/leads/${res.body.id}?token=${res.body.token[0] === 'x' ? 'y' : 'x'}${res.body.token.slice(1)}`)).status).toBe(404);
  }, 60_000);

  it('limits reports per email address (429 with Retry-After)', async () => {
    const r = new Redis(sharedServers().redisUrl);
    try {
      await r.set(`ratelimit:grader-email:${a.tenantId}:many@example.com`, '3', 'EX', 600);
      const res = await fetch(`${stack.url}/v1/public/grader/${slug}/audits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ websiteUrl: 'https://other.example/', email: 'many@example.com', consent: true, formToken: token(a.tenantId, 10) }) });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await res.json()).error.message).toMatch(/for this email address/);
    } finally {
      r.disconnect();
    }
  });
});

describe('scheduled re-audits', () => {
  it('are a Temporal Schedule: weekly on Monday 06:00 in the tenant’s zone, paused when off, a run audits the site, deleted with the setting', async () => {
    const on = await ok(a, 'PUT', '/v1/settings/presence-schedule', { enabled: true, cadence: 'weekly', websiteUrl: site.url });
    expect(on.scheduleId).toBe(`presence-schedule:${a.tenantId}`);
    expect(on.nextRuns).toHaveLength(3);
    for (const t of on.nextRuns) expect([new Date(t).getUTCDay(), new Date(t).getUTCHours()]).toEqual([1, 6]);
    const before = (await ok(a, 'GET', `/v1/presence/audits?url=${encodeURIComponent(site.url)}`)).items.length;
    await new PresenceFollowUpClient(stack.temporal, stack.config.TEMPORAL_TASK_QUEUE).triggerSchedule(a.tenantId);
    let items: any[] = [];
    for (let i = 0; i < 300 && items.length <= before; i++) {
      items = (await ok(a, 'GET', `/v1/presence/audits?url=${encodeURIComponent(site.url)}`)).items;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(items[0].createdBy).toMatch(/^schedule:grader:/);
    expect((await finishedAudit(a, items[0].id)).status).toBe('completed');
    // A dev server that lost its Schedules gets them back at the next worker start.
    await stack.temporal.schedule.getHandle(`presence-schedule:${a.tenantId}`).delete();
    expect(await ensurePresenceSchedules({ orm: stack.orm, client: stack.temporal, config: stack.config })).toBeGreaterThanOrEqual(1);
    expect((await ok(a, 'GET', '/v1/settings/presence-schedule')).nextRuns).toHaveLength(3);
    const off = await ok(a, 'PUT', '/v1/settings/presence-schedule', { enabled: false, cadence: 'monthly', websiteUrl: site.url });
    expect([off.paused, off.nextRuns]).toEqual([true, []]);
    const bad = await call(a, 'PUT', '/v1/settings/presence-schedule', { enabled: true, cadence: 'daily', websiteUrl: site.url });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'cadence']);
    expect((await call(a, 'DELETE', '/v1/settings/presence-schedule')).status).toBe(204);
    expect(await ok(a, 'GET', '/v1/settings/presence-schedule')).toMatchObject({ schedule: null, scheduleId: null });
  }, 90_000);
});

describe('tenant B on tenant A’s objects', () => {
  it('finds none of them', async () => {
    for (const [method, path] of [
      ['POST', `/v1/presence/audits/${firstAudit}/share-links`],
      ['GET', `/v1/presence/audits/${firstAudit}/share-links`],
      ['GET', `/v1/presence/audits/${firstAudit}/pdf`],
      ['GET', `/v1/presence/audits/${firstAudit}/changes`],
    ] as const) {
      expect((await call(b, method, path)).status, `${method} ${path}`).toBe(404);
    }
  });
});
