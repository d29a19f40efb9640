/**
 * Consistency (phase 2): name, address, phone and opening hours compared across every source that
 * states them — the website's JSON-LD and each listing read in phase 1 (the facts of earlier
 * modules). Values are normalized before they are compared (presence/providers/nap.ts: phone to
 * E.164 with libphonenumber, addresses through the abbreviation table, names without case,
 * accents or punctuation; hours in one weekly form), so only real differences count. A field
 * stated by fewer than two sources cannot disagree: its check is skipped, and says so.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { checkResultOf } from '../../core/presence/rubric';
import type { BusinessFacts, CheckResult } from '../../core/presence/types';
import { describeWeek, fromDaySpecs, hoursDifferences, type WeeklyHours } from '../providers/hours';
import { addressesMatch, normalizeName, normalizePhone } from '../providers/nap';
import { SOURCE_LABELS, type ListingSource } from '../providers/types';
import type { CheckModule } from './types';

const sourceLabel = (s: string) => (s in SOURCE_LABELS ? SOURCE_LABELS[s as ListingSource] : s === 'jsonld' ? 'website (JSON-LD)' : s);

/** The country a phone is read in: the one an international number among the facts names, else the US. */
export function phoneCountry(facts: BusinessFacts[]): string {
  for (const f of facts) {
    const p = f.phone?.trim().startsWith('+') ? parsePhoneNumberFromString(f.phone.trim()) : undefined;
    if (p?.country) return p.country;
  }
  return 'US';
}

type Stated = { source: string; raw: string };

/** Groups sources by the equality `same`; the largest group is taken as the business's value. */
function groups(values: Stated[], same: (a: Stated, b: Stated) => boolean): Stated[][] {
  const out: Stated[][] = [];
  for (const v of values) {
    const g = out.find((group) => same(group[0], v));
    if (g) g.push(v);
    else out.push([v]);
  }
  return out.sort((a, b) => b.length - a.length || (a.some((v) => v.source === 'jsonld') ? -1 : 1));
}

function compare(id: string, what: string, values: Stated[], same: (a: Stated, b: Stated) => boolean, fix: (majority: Stated, odd: Stated[]) => string): CheckResult {
  const evidence = values.map((v) => ({ label: sourceLabel(v.source), value: v.raw }));
  if (values.length < 2) {
    return checkResultOf(id, { status: 'skipped', summary: values.length ? `Only ${sourceLabel(values[0].source)} states the ${what}: nothing to compare it with.` : `No source states the ${what}.`, evidence });
  }
  const g = groups(values, same);
  if (g.length === 1) return checkResultOf(id, { status: 'pass', summary: `The ${what} is the same in all ${values.length} sources.`, evidence });
  const odd = g.slice(1).flat();
  return checkResultOf(id, {
    status: 'fail',
    summary: `The ${what} differs: ${odd.map((v) => sourceLabel(v.source)).join(', ')} ${odd.length === 1 ? 'says' : 'say'} otherwise than ${g[0].map((v) => sourceLabel(v.source)).join(', ')}.`,
    evidence,
    recommendation: { title: `Use one ${what} everywhere`, action: fix(g[0][0], odd) },
  });
}

export function consistencyChecks(facts: BusinessFacts[]): CheckResult[] {
  const country = phoneCountry(facts);
  const stated = (field: 'name' | 'address' | 'phone') => facts.flatMap((f) => (f[field] ? [{ source: f.source, raw: f[field]! }] : []));
  const where = (odd: Stated[]) => odd.map((v) => `${sourceLabel(v.source)} ("${v.raw}")`).join(', ');
  const checks = [
    compare('consistency.name', 'business name', stated('name'), (a, b) => normalizeName(a.raw) === normalizeName(b.raw), (m, odd) => `Change the name on ${where(odd)} to "${m.raw}", as ${sourceLabel(m.source)} has it.`),
    compare('consistency.address', 'address', stated('address'), (a, b) => addressesMatch(a.raw, b.raw) === true, (m, odd) => `Correct the address on ${where(odd)} to "${m.raw}": a wrong address sends guests and map searches elsewhere.`),
    compare('consistency.phone', 'phone number', stated('phone'), (a, b) => normalizePhone(a.raw, country) === normalizePhone(b.raw, country), (m, odd) => `Correct the phone on ${where(odd)} to ${m.raw}.`),
  ];
  const weeks = facts.flatMap((f) => {
    const w = f.hours?.length ? fromDaySpecs(f.hours) : null;
    return w ? [{ source: f.source, week: w }] : [];
  });
  checks.push(hoursCheck(weeks));
  return checks;
}

function hoursCheck(weeks: { source: string; week: WeeklyHours }[]): CheckResult {
  const evidence = weeks.map((w) => ({ label: sourceLabel(w.source), value: describeWeek(w.week) }));
  if (weeks.length < 2) return checkResultOf('consistency.hours', { status: 'skipped', summary: weeks.length ? `Only ${sourceLabel(weeks[0].source)} states opening hours: nothing to compare them with.` : 'No source states opening hours.', evidence });
  const reference = weeks.find((w) => w.source === 'jsonld') ?? weeks[0];
  const diffs = weeks.filter((w) => w !== reference).map((w) => ({ source: w.source, days: hoursDifferences(reference.week, w.week) })).filter((d) => d.days.length);
  if (!diffs.length) return checkResultOf('consistency.hours', { status: 'pass', summary: `Opening hours agree in all ${weeks.length} sources.`, evidence });
  const detail = diffs.map((d) => `${sourceLabel(d.source)}: ${d.days.map((x) => `${x.day} ${x.b} (${sourceLabel(reference.source)}: ${x.a})`).join('; ')}`).join(' — ');
  return checkResultOf('consistency.hours', {
    status: 'fail',
    summary: `Opening hours differ on ${diffs.map((d) => sourceLabel(d.source)).join(', ')}.`,
    evidence: [...evidence, { label: 'differences', value: detail }],
    recommendation: { title: 'Make your opening hours agree', action: `Set the same hours everywhere; now ${detail}.` },
  });
}

export const consistencyModule: CheckModule = {
  id: 'consistency',
  phase: 2,
  checks: ['consistency.name', 'consistency.address', 'consistency.phone', 'consistency.hours'],
  run: async (ctx) => ({ checks: consistencyChecks(ctx.facts) }),
};
