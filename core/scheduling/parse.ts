/**
 * Free-text requested times ("next Friday evening", "demain à 19h") → a range to search slots in,
 * read in the contact's timezone. chrono-node reads the words; luxon places the wall-clock result
 * in the zone (chrono only knows a fixed offset, which is wrong across a daylight-saving change).
 */
import { createRequire } from 'node:module';
import type * as Chrono from 'chrono-node';
import { DateTime } from 'luxon';

/**
 * chrono-node's thirteen locales are loaded at the first request read, not when a worker or API
 * starts (about 4 MB of heap and 20 MB of RSS that most processes never use).
 */
let parsers: Record<string, Chrono.Chrono> | undefined;
function loadParsers(): Record<string, Chrono.Chrono> {
  const chrono = createRequire(import.meta.url)('chrono-node') as typeof Chrono;
  return {
    en: chrono.en.casual, de: chrono.de.casual, fr: chrono.fr.casual, es: chrono.es.casual, it: chrono.it.casual,
    nl: chrono.nl.casual, pt: chrono.pt.casual, ja: chrono.ja.casual, zh: chrono.zh.casual, ru: chrono.ru.casual,
    sv: chrono.sv.casual, fi: chrono.fi.casual, uk: chrono.uk.casual,
  };
}

/** Parts of the day (chrono implies an hour for them) and the range each means, in local hours. */
function partOfDay(impliedHour: number): [number, number] | null {
  if (impliedHour === 12) return null; // chrono's default for a date without a time
  if (impliedHour < 12) return [8, 12];
  if (impliedHour < 17) return [12, 17];
  if (impliedHour < 22) return [17, 21];
  return [19, 23];
}

export interface RequestedRange {
  from: string;
  to: string;
}

/**
 * The range a request names, ISO instants in UTC, or null when there is no date in it. A precise
 * time gives one hour from it; a part of the day its usual hours; a bare date the whole day.
 */
export function parseRequestedTime(text: string, opts: { timezone: string; locale?: string; now: Date | number }): RequestedRange | null {
  const now = DateTime.fromMillis(typeof opts.now === 'number' ? opts.now : opts.now.getTime(), { zone: opts.timezone });
  parsers ??= loadParsers();
  const parser = parsers[(opts.locale ?? 'en').slice(0, 2).toLowerCase()] ?? parsers.en;
  const [result] = parser.parse(text, { instant: now.toJSDate(), timezone: now.offset }, { forwardDate: true });
  if (!result) return null;
  const c = result.start;
  const day = DateTime.fromObject({ year: c.get('year')!, month: c.get('month')!, day: c.get('day')! }, { zone: opts.timezone });
  const at = (base: DateTime, hour: number, minute = 0) => DateTime.fromObject({ year: base.year, month: base.month, day: base.day, hour, minute }, { zone: opts.timezone });
  const iso = (dt: DateTime) => dt.toUTC().toISO({ suppressMilliseconds: true })!;
  if (c.isCertain('hour')) {
    const from = at(day, c.get('hour')!, c.get('minute') ?? 0);
    const end = result.end;
    const to = end?.isCertain('hour') ? at(DateTime.fromObject({ year: end.get('year')!, month: end.get('month')!, day: end.get('day')! }, { zone: opts.timezone }), end.get('hour')!, end.get('minute') ?? 0) : from.plus({ hours: 1 });
    return to > from ? { from: iso(from), to: iso(to) } : null;
  }
  const part = partOfDay(c.get('hour') ?? 12);
  if (part) return { from: iso(at(day, part[0])), to: iso(at(day, part[1])) };
  return { from: iso(day.startOf('day')), to: iso(day.plus({ days: 1 }).startOf('day')) };
}
