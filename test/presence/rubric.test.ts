/**
 * The rubric's arithmetic and the parsers the snippets rest on, worked by hand: points by status,
 * skipped checks counted neither way, categories with nothing measured left out of the overall
 * score, recommendations ranked by overall points per unit of effort; opening hours read from
 * schema.org strings, specifications and page text; the website URL as owners type it.
 */
import { describe, expect, it } from 'vitest';
import { createAuditBody } from '../../core/api/presence';
import { fromOpeningHoursStrings, fromSpecification, fromText, toSpecification } from '../../core/presence/hours';
import { checkResultOf, gradeOf, RUBRIC, scoreReport } from '../../core/presence/rubric';
import { PRESENCE_CATEGORIES } from '../../core/presence/types';

describe('rubric', () => {
  it('gives a pass all the points, a warn half, a fail none, a skip 0 of 0', () => {
    expect(['pass', 'warn', 'fail', 'skipped'].map((status) => checkResultOf('certificate', { status: status as 'pass', summary: '' })).map((c) => [c.points, c.maxPoints])).toEqual([
      [15, 15],
      [7.5, 15],
      [0, 15],
      [0, 0],
    ]);
    expect(() => checkResultOf('no.such.check', { status: 'pass', summary: '' })).toThrow(/no line in the rubric/);
    expect(Object.values(RUBRIC).every((e) => (PRESENCE_CATEGORIES as readonly string[]).includes(e.category) && e.points > 0)).toBe(true);
  });

  it('scores categories as shares and the overall as their weighted mean, leaving unmeasured ones out', () => {
    const recommendation = { title: 'Fix it', action: 'Do it.' };
    const checks = [
      checkResultOf('https', { status: 'pass', summary: '' }), // website 15/15
      checkResultOf('certificate', { status: 'fail', summary: '', recommendation }), // website 0/15
      checkResultOf('title', { status: 'warn', summary: '', recommendation }), // discoverability 10/20
      checkResultOf('a11y.contrast', { status: 'skipped', summary: '' }), // accessibility: nothing measured
    ];
    const scored = scoreReport(checks);
    const byCategory = Object.fromEntries(scored.categories.map((c) => [c.category, c.score]));
    expect(byCategory).toMatchObject({ website: 50, discoverability: 50, accessibility: null, listings: null });
    // (20·50 + 15·50) / (20 + 15) = 50
    expect(scored.overall).toBe(50);
    expect(scored.grade).toBe('F');
    // certificate: 15/30 of website · 100 · 20/35 = 28.6 points, low effort; title: 10/20 · 100 · 15/35 = 21.4, low effort
    expect(scored.recommendations.map((r) => [r.checkId, r.gain, r.impact, r.effort])).toEqual([
      ['certificate', 28.6, 'high', 'low'],
      ['title', 21.4, 'high', 'low'],
    ]);
    expect([90, 89, 80, 70, 60, 59].map(gradeOf)).toEqual(['A', 'B', 'B', 'C', 'D', 'F']);
  });
});

describe('opening hours', () => {
  it('reads schema.org strings and specifications', () => {
    expect(fromOpeningHoursStrings(['Mo-Fr 11:00-22:00', 'Sa,Su 10:00-23:30', 'nonsense'])).toEqual([
      { days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], opens: '11:00', closes: '22:00' },
      { days: ['Sa', 'Su'], opens: '10:00', closes: '23:30' },
    ]);
    expect(fromOpeningHoursStrings(['Fr-Mo 18:00-02:00'])).toEqual([{ days: ['Fr', 'Sa', 'Su', 'Mo'], opens: '18:00', closes: '02:00' }]);
    expect(fromSpecification({ '@type': 'OpeningHoursSpecification', dayOfWeek: 'https://schema.org/Tuesday', opens: '17:00:00', closes: '23:00:00' })).toEqual([{ days: ['Tu'], opens: '17:00', closes: '23:00' }]);
  });

  it('reads hours as pages write them and writes them back as openingHoursSpecification', () => {
    const hours = fromText('Hours: Mon–Thu 11am–9:30pm · Friday & Saturday: 11 a.m. to 11 p.m. · Sunday 10:00 - 15:00. Call 555-0101 from 9 to 5.');
    expect(hours).toEqual([
      { days: ['Mo', 'Tu', 'We', 'Th'], opens: '11:00', closes: '21:30' },
      { days: ['Fr', 'Sa'], opens: '11:00', closes: '23:00' },
      { days: ['Su'], opens: '10:00', closes: '15:00' },
    ]);
    expect(toSpecification(hours.slice(1, 2))).toEqual([{ '@type': 'OpeningHoursSpecification', dayOfWeek: ['Friday', 'Saturday'], opens: '11:00', closes: '23:00' }]);
  });
});

describe('website URL', () => {
  it('takes the site as owners type it and refuses what is not a website', () => {
    expect(createAuditBody.parse({ url: 'trattoria.example' }).url).toBe('https://trattoria.example/');
    expect(createAuditBody.parse({ url: ' http://Trattoria.Example/menu#top ' }).url).toBe('http://trattoria.example/menu');
    for (const url of ['javascript:alert(1)', 'ftp://x.example', 'https://a:b@x.example', 'localhost-ish', '']) expect(createAuditBody.safeParse({ url }).success, url).toBe(false);
  });
});
