/**
 * Recurring appointments (RFC 5545 RRULE). rrule expands in "floating" time — dates whose UTC
 * fields are the local wall-clock fields — and each occurrence is placed in the location's zone
 * by luxon, so a weekly 10:00 stays 10:00 local across a daylight-saving change (rrule's own
 * TZID support answers in the process's zone, which a server must not depend on).
 */
import { DateTime } from 'luxon';
import * as rruleModule from 'rrule';

// rrule's ES build is reachable only through its "module" field, which Node does not read: under
// Node the CommonJS build arrives as the default export, under bundlers as named exports.
const { RRule } = ((rruleModule as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;
type RRule = InstanceType<typeof RRule>;

/** Hard cap on a series: a rule without COUNT or UNTIL stops at the horizon or at this many occurrences. */
export const MAX_OCCURRENCES = 100;

export class RecurrenceError extends Error {}

/** Parses `FREQ=WEEKLY;COUNT=4` (an optional `RRULE:` prefix is accepted); throws RecurrenceError. */
export function parseRule(rule: string): RRule {
  const text = rule.trim().replace(/^RRULE:/i, '');
  if (!/^FREQ=/i.test(text) && !/;FREQ=/i.test(text)) throw new RecurrenceError('recurrenceRule needs FREQ (e.g. FREQ=WEEKLY;COUNT=4)');
  if (/DTSTART|TZID/i.test(text)) throw new RecurrenceError('recurrenceRule must not carry DTSTART or TZID: the first appointment and the location set them');
  try {
    const options = RRule.parseString(text);
    if (options.freq === undefined) throw new RecurrenceError('recurrenceRule needs FREQ');
    return new RRule(options);
  } catch (err) {
    if (err instanceof RecurrenceError) throw err;
    throw new RecurrenceError(`recurrenceRule is not a valid RFC 5545 rule: ${(err as Error).message}`);
  }
}

/**
 * The starts (ISO, UTC) of a series whose first occurrence is `firstStart`, in `timezone`,
 * up to `until` (the booking horizon) and MAX_OCCURRENCES.
 */
export function expandRecurrence(rule: string, firstStart: string, timezone: string, until: number): string[] {
  const parsed = parseRule(rule);
  const first = DateTime.fromISO(firstStart, { setZone: false }).setZone(timezone);
  const floating = (dt: DateTime) => new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second));
  const untilLocal = DateTime.fromMillis(until, { zone: timezone });
  const ruleUntil = parsed.options.until;
  const limit = ruleUntil && ruleUntil < floating(untilLocal) ? ruleUntil : floating(untilLocal);
  const series = new RRule({ ...parsed.origOptions, dtstart: floating(first), until: limit, count: Math.min(parsed.options.count ?? MAX_OCCURRENCES, MAX_OCCURRENCES) });
  return series.all().map((d) =>
    DateTime.fromObject(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() },
      { zone: timezone },
    )
      .toUTC()
      .toISO({ suppressMilliseconds: true })!,
  );
}
