/**
 * The listings and consistency modules against a local website and the three provider fakes:
 * listings found by the website's own JSON-LD (name + address for Google, E.164 phone for Yelp,
 * the `sameAs` page for Facebook), reviews scored from them, NAP and hours compared after
 * normalization; with no account configured, only the website is read and the report says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressPolicy } from '../../net/address-policy';
import { loadConfig } from '../../core/config';
import type { BusinessFacts, CheckResult } from '../../core/presence/types';
import { consistencyChecks } from '../../presence/checks/consistency';
import { runListings } from '../../presence/checks/listings';
import type { CheckContext } from '../../presence/checks/types';
import { siteReader } from '../../presence/site';
import { KEYS, startListingFakes } from './listing-fixtures';
import { startSite, trattoriaJsonLd } from './site';

const config = loadConfig({ ...process.env, OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' });
const policy: AddressPolicy = { allowedPrivate: ['127.0.0.1'] };
let fakes: Awaited<ReturnType<typeof startListingFakes>>;
let site: Awaited<ReturnType<typeof startSite>>;
let n = 0;

beforeAll(async () => {
  [fakes, site] = await Promise.all([startListingFakes(), startSite()]);
});
afterAll(async () => {
  await Promise.all([fakes?.close(), site?.close()]);
});

const ctx = (profiles: CheckContext['profiles'] = {}): CheckContext => {
  const auditId = `checks-${++n}`;
  return { tenantId: 't', auditId, url: site.url, profiles, facts: [], site: siteReader(config, auditId, site.url), config, signal: new AbortController().signal };
};
const all = () => ({
  google: { baseURL: fakes.google.url, apiKey: KEYS.google, policy },
  yelp: { baseURL: fakes.yelp.url, apiKey: KEYS.yelp, policy },
  facebook: { baseURL: fakes.facebook.url, apiKey: KEYS.facebook, policy },
});
const byId = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.id, c]));
const NOW = new Date('2026-12-05T12:00:00Z');

describe('listings module', () => {
  it('finds every listing from what the website says, and scores ratings, counts and recency', async () => {
    const out = await runListings(ctx(), all(), NOW);
    const c = byId(out.checks);
    expect([c['listings.google'].status, c['listings.yelp'].status, c['listings.facebook'].status]).toEqual(['pass', 'pass', 'pass']);
    expect(fakes.google.requests.at(-1)!.body.textQuery).toBe('Trattoria Sole, 123 Main Street, Springfield, IL 62701, US');
    expect(fakes.yelp.requests.some((r) => r.path === '/v3/businesses/search/phone' && r.query.get('phone') === '+12175550142')).toBe(true);
    expect(fakes.facebook.requests.at(-1)!.path).toMatch(/\/trattoriasole$/);
    // (4.6·312 + 4.5·128 + 4.4·57) / 497 = 4.5537…
    expect(c['reviews.rating']).toMatchObject({ status: 'pass', points: 40, inferred: false, summary: 'Average rating 4.55 (weighted by review count).' });
    expect(c['reviews.count']).toMatchObject({ status: 'pass', summary: '497 reviews across 3 listings.' });
    // Newest: Yelp's 2026-11-28T19:41:13Z, 6 days before NOW.
    expect(c['reviews.recency']).toMatchObject({ status: 'pass', summary: 'The newest review is 6 days old.' });
    expect(out.sources).toEqual(['google', 'yelp', 'facebook']);
    expect(out.facts.map((f) => f.source)).toEqual(['google', 'yelp', 'facebook']);
    expect(out.notes).toEqual([]);
  });

  it('reads a profile the audit names instead of searching, and reports a provider error as not measured', async () => {
    fakes.google.failNext(1, { status: 403, body: { error: { code: 403, message: 'denied', status: 'PERMISSION_DENIED' } } });
    const out = await runListings(ctx({ yelp: 'https://www.yelp.com/biz/trattoria-sole-springfield' }), all(), NOW);
    const c = byId(out.checks);
    expect(c['listings.google']).toMatchObject({ status: 'skipped', maxPoints: 0 });
    expect(out.notes[0]).toMatch(/^Google Business Profile could not be read: Google Places answered HTTP 403 PERMISSION_DENIED/);
    expect(fakes.yelp.requests.at(-2)!.path).toBe('/v3/businesses/trattoria-sole-springfield');
  });

  it('without accounts reads only the website: a linked profile is an inferred pass, the JSON-LD rating an inferred score, and notes say so', async () => {
    site.set({ ...trattoriaJsonLd, aggregateRating: { ratingValue: 4.2, reviewCount: 40 } });
    try {
      const out = await runListings(ctx(), {}, NOW);
      const c = byId(out.checks);
      expect(c['listings.facebook']).toMatchObject({ status: 'pass', inferred: true, evidence: [{ label: 'linked from the website', value: 'https://www.facebook.com/trattoriasole' }] });
      expect(c['listings.google']).toMatchObject({ status: 'skipped', maxPoints: 0 });
      expect(c['reviews.rating']).toMatchObject({ status: 'warn', inferred: true, points: 20 });
      expect(c['reviews.count']).toMatchObject({ status: 'warn', inferred: true });
      expect(c['reviews.recency'].status).toBe('skipped');
      expect(out.notes).toHaveLength(3);
      expect(out.notes.every((note) => note.includes('only what the website says'))).toBe(true);
    } finally {
      site.set(trattoriaJsonLd);
    }
  });

  it('fails a provider that has no such business, with a recommendation to get listed', async () => {
    const out = await runListings(ctx({ google: 'ChIJunknownplace000' }), { google: all().google }, NOW);
    expect(byId(out.checks)['listings.google']).toMatchObject({ status: 'fail', points: 0, recommendation: { title: 'Get listed on Google Business Profile' } });
  });
});

describe('consistency module', () => {
  const facts = async () => [
    { source: 'jsonld', name: 'Trattoria Sole', address: '123 Main Street, Springfield, IL 62701, US', phone: '(217) 555-0142', hours: [{ days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], opens: '11:00', closes: '22:00' }, { days: ['Sa'], opens: '12:00', closes: '24:00' }] },
    ...(await runListings(ctx(), all(), NOW)).facts,
  ] as BusinessFacts[];

  it('normalizes before comparing: the same name and address pass, the odd phone and Friday hours fail with both values', async () => {
    const c = byId(consistencyChecks(await facts()));
    expect(c['consistency.name']).toMatchObject({ status: 'pass', summary: 'The business name is the same in all 4 sources.' });
    expect(c['consistency.address'].status).toBe('pass');
    expect(c['consistency.phone']).toMatchObject({ status: 'fail', points: 0 });
    expect(c['consistency.phone'].summary).toBe('The phone number differs: Facebook says otherwise than website (JSON-LD), Google Business Profile, Yelp.');
    expect(c['consistency.phone'].recommendation!.action).toBe('Correct the phone on Facebook ("(217) 555-0199") to (217) 555-0142.');
    expect(c['consistency.hours'].status).toBe('fail');
    expect(c['consistency.hours'].recommendation!.action).toContain('Facebook: Friday 11:00-23:00 (website (JSON-LD): 11:00-22:00)');
    expect(c['consistency.hours'].recommendation!.action).not.toContain('Google');
  });

  it('skips a field only one source states', () => {
    const c = byId(consistencyChecks([{ source: 'jsonld', name: 'A', phone: '+1 217 555 0142' }, { source: 'google', name: 'A' }]));
    expect(c['consistency.phone']).toMatchObject({ status: 'skipped', maxPoints: 0, summary: 'Only website (JSON-LD) states the phone number: nothing to compare it with.' });
    expect(c['consistency.name'].status).toBe('pass');
  });
});
