/**
 * The grader against fixture sites served in the test (good, bad, broken: JSON-LD fields missing
 * and a 404 menu link, an expired certificate, a slow homepage, a redirect loop), each report's
 * statuses and scores checked against the rubric worked out by hand (the arithmetic is in each
 * test), and its evidence and snippets against what the site serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { makeCerts, trustTestCa } from './fixtures/certs';
import { serveSite, type FixtureSite } from './fixtures/server';
import { auditDirect, categoryScores, check, statuses } from './support';

// The operator allow-list the test configuration sets (vitest.config.ts): 127.0.0.1 only.
const config = loadConfig({ OUTBOUND_ALLOWED_PRIVATE: process.env.OUTBOUND_ALLOWED_PRIVATE });
const sites: Record<string, FixtureSite> = {};

beforeAll(async () => {
  const certs = makeCerts();
  trustTestCa(certs.ca);
  [sites.good, sites.bad, sites.broken, sites.expired, sites.slow, sites.loop] = await Promise.all([
    serveSite({ files: 'good', tls: certs.valid }),
    serveSite({ files: 'bad' }),
    serveSite({ files: 'broken' }),
    serveSite({ files: 'good', tls: certs.expired }),
    serveSite({ files: 'good', tls: certs.valid, delayMs: 2500 }),
    serveSite({ redirectLoop: true }),
  ]);
});
afterAll(async () => Promise.all(Object.values(sites).map((s) => s.close())));

describe('presence grader on fixture sites', () => {
  it('gives the good site every point: 100, grade A, no recommendations', async () => {
    const report = await auditDirect(config, sites.good!.url);
    expect(Object.entries(statuses(report)).filter(([, s]) => s !== 'pass')).toEqual([]);
    expect(categoryScores(report)).toEqual({ website: 100, discoverability: 100, structuredData: 100, content: 100, accessibility: 100 });
    expect(report.overall).toBe(100);
    expect(report.grade).toBe('A');
    expect(report.recommendations).toEqual([]);
    expect(check(report, 'certificate').evidence).toContainEqual({ label: 'issuer', value: 'Presence Test CA' });
    expect(check(report, 'menu.text').summary).toMatch(/6 prices at \/menu/);
    expect(report.facts).toEqual([
      expect.objectContaining({ source: 'jsonld', name: 'Trattoria Lucia', phone: '+1 503-555-0142', address: '812 SE Morrison St, Portland, OR, 97214, US', hours: [{ days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], opens: '11:00', closes: '22:00' }, { days: ['Sa', 'Su'], opens: '10:00', closes: '23:00' }] }),
    ]);
    // Listings, consistency and reviews have no module in this run: out of the score, and said so.
    expect(report.notes).toContain('listings: nothing was measured, so it does not count in the overall score.');
  });

  it('scores the bad site by the rubric: F with 22', async () => {
    const report = await auditDirect(config, sites.bad!.url);
    expect(statuses(report)).toEqual({
      https: 'fail', certificate: 'fail', redirects: 'pass', responseTime: 'pass', pageWeight: 'pass',
      title: 'warn', metaDescription: 'fail', openGraph: 'fail', mobileViewport: 'fail', favicon: 'fail', analytics: 'fail',
      'jsonld.present': 'fail', 'jsonld.name': 'fail', 'jsonld.address': 'fail', 'jsonld.phone': 'fail', 'jsonld.openingHours': 'fail', 'jsonld.menu': 'fail', 'jsonld.priceRange': 'fail', 'jsonld.acceptsReservations': 'fail', 'jsonld.geo': 'fail',
      'menu.text': 'warn', ordering: 'fail', reservations: 'fail',
      brokenLinks: 'pass',
      robots: 'warn', sitemap: 'fail',
      'a11y.altText': 'fail', 'a11y.headings': 'warn', 'a11y.contrast': 'fail', 'a11y.lang': 'fail',
    });
    // website: redirects 10 + response 15 + weight 10 + broken links 15 = 50 of 100
    // discoverability: title ½·20 + robots ½·20 = 20 of 100; structured data 0; content: menu ½·40 = 20 of 100
    // accessibility: headings ½·25 = 12.5 of 100 → 13
    expect(categoryScores(report)).toEqual({ website: 50, discoverability: 20, structuredData: 0, content: 20, accessibility: 13 });
    // (20·50 + 15·20 + 20·0 + 15·20 + 10·12.5) / (20+15+20+15+10) = 1725 / 80 = 21.6 → 22
    expect(report.overall).toBe(22);
    expect(report.grade).toBe('F');
    expect(check(report, 'a11y.contrast').evidence).toContainEqual({ label: '<p> style', value: '#999999 on #ffffff: 2.84:1' });
    expect(check(report, 'menu.text').evidence).toEqual([{ label: `${sites.bad!.origin}/menu.pdf`, value: 'a PDF' }]);
    // The whole JSON-LD block to paste, built from what the page shows.
    const jsonld = report.recommendations.find((r) => r.checkId === 'jsonld.present')!;
    expect(jsonld.snippet).toContain('"@type": "Restaurant"');
    expect(jsonld.snippet).toContain('"name": "Home"');
    // Ranked by overall points per unit of effort: the JSON-LD block (20/80·100 = 25 points × 25/100, medium effort) is not first;
    // a cheap fix worth more per effort is.
    const gains = report.recommendations.map((r) => r.gain / { low: 1, medium: 2, high: 3 }[r.effort]);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    expect(report.recommendations.find((r) => r.checkId === 'https')).toMatchObject({ gain: 3.8, impact: 'medium', effort: 'medium' });
  });

  it('finds the broken site’s 404 menu link and missing JSON-LD fields, with the hours snippet from its page: F with 46', async () => {
    const report = await auditDirect(config, sites.broken!.url);
    expect(check(report, 'menu.text')).toMatchObject({ status: 'fail', summary: 'The menu link is broken: guests who click it find no menu.' });
    expect(check(report, 'menu.text').evidence).toEqual([{ label: `${sites.broken!.origin}/menu`, value: 'broken (HTTP 404)' }]);
    expect(check(report, 'brokenLinks')).toMatchObject({ status: 'fail', summary: '1 of 3 sampled links are broken.' });
    expect(check(report, 'brokenLinks').evidence).toContainEqual({ label: 'broken', value: `${sites.broken!.origin}/menu → HTTP 404` });
    expect(check(report, 'jsonld.address')).toMatchObject({ status: 'warn', points: 7.5 });
    const hours = report.recommendations.find((r) => r.checkId === 'jsonld.openingHours')!;
    expect(hours.action).toMatch(/here is the snippet for your hours/);
    expect(JSON.parse(`{${hours.snippet}}`)).toEqual({
      openingHoursSpecification: [
        { '@type': 'OpeningHoursSpecification', dayOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday'], opens: '11:00', closes: '21:00' },
        { '@type': 'OpeningHoursSpecification', dayOfWeek: ['Friday', 'Saturday'], opens: '11:00', closes: '23:00' },
      ],
    });
    expect(check(report, 'a11y.contrast').status).toBe('skipped');
    // website: redirects 10 + response 15 + weight 10 + viewport 10 = 45; discoverability: title 20 + description 20 + robots 10 = 50
    // structured data: present 25 + name 10 + address ½·15 + phone 10 = 52.5 → 53; content 0; accessibility: 75 of 75 (contrast not measured) = 100
    expect(categoryScores(report)).toEqual({ website: 45, discoverability: 50, structuredData: 53, content: 0, accessibility: 100 });
    // (20·45 + 15·50 + 20·52.5 + 15·0 + 10·100) / 80 = 3700 / 80 = 46.25 → 46
    expect(report.overall).toBe(46);
    expect(report.grade).toBe('F');
    expect(report.facts).toEqual([expect.objectContaining({ source: 'jsonld', name: 'Casa Verde', phone: '+1 512-555-0199', address: '1101 E 6th St, Austin, TX 78702' })]);
  });

  it('fails the expired certificate with its date, and every check that needed the page: F with 4', async () => {
    const report = await auditDirect(config, sites.expired!.url);
    const cert = check(report, 'certificate');
    expect(cert.status).toBe('fail');
    expect(cert.summary).toMatch(/^The certificate expired on \d{4}-\d{2}-\d{2}/);
    expect(Date.parse(cert.evidence.find((e) => e.label === 'valid to')!.value)).toBeLessThan(Date.now());
    expect(check(report, 'https').status).toBe('pass');
    expect(check(report, 'title').summary).toMatch(/could not be read \(TLS failed/);
    // Only HTTPS (15 of the website's 100) is earned: 20·15 / 80 = 3.75 → 4
    expect(report.overall).toBe(4);
    expect(report.recommendations[0]).toMatchObject({ checkId: 'certificate', title: 'Renew the TLS certificate' });
  });

  it('marks the slow homepage a warning, half the response-time points: A with 98', async () => {
    const report = await auditDirect(config, sites.slow!.url);
    expect(check(report, 'responseTime').status).toBe('warn');
    expect(Number(check(report, 'responseTime').evidence[0]!.value.replace(' ms', ''))).toBeGreaterThanOrEqual(2500);
    // website 92.5 of 100; (20·92.5 + 60·100) / 80 = 98.1 → 98
    expect(report.overall).toBe(98);
    expect(report.grade).toBe('A');
  });

  it('names the redirect loop by its URLs', async () => {
    const report = await auditDirect(config, sites.loop!.url);
    const redirects = check(report, 'redirects');
    expect(redirects.status).toBe('fail');
    expect(redirects.summary).toMatch(/redirects in a loop/);
    expect(redirects.evidence[0]!.value).toContain(`${sites.loop!.origin}/a → ${sites.loop!.origin}/b → ${sites.loop!.origin}/a`);
    expect(report.overall).toBe(0);
    expect(sites.loop!.hits.get('/a')).toBeGreaterThanOrEqual(2);
  });

  it('refuses addresses the operator did not open, as any outbound request', async () => {
    const strict = loadConfig({ OUTBOUND_ALLOWED_PRIVATE: '' });
    const before = [...sites.good!.hits.values()].reduce((a, b) => a + b, 0);
    const report = await auditDirect(strict, sites.good!.url);
    expect(check(report, 'responseTime').summary).toMatch(/not reachable from the platform \(loopback address\)/);
    expect(check(report, 'certificate').summary).toMatch(/not reachable from the platform/);
    // Not one request reached the site.
    expect([...sites.good!.hits.values()].reduce((a, b) => a + b, 0)).toBe(before);
  });
});
