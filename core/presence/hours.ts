/**
 * Opening hours as schema.org writes them and as people do: `openingHours` strings ("Mo-Fr
 * 11:00-22:00"), `openingHoursSpecification` objects, and lines of page text ("Monday – Friday:
 * 11am – 10pm"). All read into one shape (`{days: ['Mo','Tu'], opens: '11:00', closes: '22:00'}`)
 * and written back as the `openingHoursSpecification` a recommendation's snippet carries.
 */
export interface Hours {
  days: string[];
  opens: string;
  closes: string;
}

export const DAY_CODES = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** 'Mo', 'monday', 'Tues', 'https://schema.org/Monday' → 'Mo'; null for anything else. */
export function dayCode(value: string): string | null {
  const word = value.trim().replace(/^https?:\/\/schema\.org\//i, '').toLowerCase().replace(/\.$/, '');
  const i = DAY_NAMES.findIndex((name) => word.length >= 2 && name.toLowerCase().startsWith(word));
  return i >= 0 ? DAY_CODES[i] : null;
}

/** Days from `from` to `to` inclusive, wrapping past Sunday ("Fr-Mo"). */
function dayRange(from: string, to: string): string[] {
  const a = DAY_CODES.indexOf(from as (typeof DAY_CODES)[number]);
  const b = DAY_CODES.indexOf(to as (typeof DAY_CODES)[number]);
  const out: string[] = [];
  for (let i = a; out.length < 7; i = (i + 1) % 7) {
    out.push(DAY_CODES[i]);
    if (i === b) break;
  }
  return out;
}

/** '11am', '5:30 pm', '23:00', '9' → 'HH:MM'; null when not a time of day. */
export function clockTime(value: string): string | null {
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?$/i.exec(value.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const half = m[3]?.toLowerCase().replace(/\./g, '');
  if (half === 'pm' && hour < 12) hour += 12;
  if (half === 'am' && hour === 12) hour = 0;
  if (hour > 24 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** schema.org `openingHours` ("Mo-Fr 11:00-22:00", "Sa,Su 10:00-23:00"). */
export function fromOpeningHoursStrings(values: readonly string[]): Hours[] {
  const out: Hours[] = [];
  for (const value of values) {
    const m = /^\s*([A-Za-z,\s-]+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(value);
    if (!m) continue;
    const days = m[1].split(',').flatMap((part) => {
      const [from, to] = part.split('-').map((d) => dayCode(d));
      if (!from) return [];
      return to ? dayRange(from, to) : [from];
    });
    const opens = clockTime(m[2]);
    const closes = clockTime(m[3]);
    if (days.length && opens && closes) out.push({ days, opens, closes });
  }
  return out;
}

/** schema.org `openingHoursSpecification` (one object or a list; `dayOfWeek` a name, URL or list). */
export function fromSpecification(spec: unknown): Hours[] {
  const list = Array.isArray(spec) ? spec : spec ? [spec] : [];
  const out: Hours[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const dayValues = Array.isArray(o.dayOfWeek) ? o.dayOfWeek : [o.dayOfWeek];
    const days = dayValues.map((d) => (typeof d === 'string' ? dayCode(d) : null)).filter((d): d is string => d !== null);
    const opens = typeof o.opens === 'string' ? clockTime(o.opens.slice(0, 5)) : null;
    const closes = typeof o.closes === 'string' ? clockTime(o.closes.slice(0, 5)) : null;
    if (days.length && opens && closes) out.push({ days, opens, closes });
  }
  return out;
}

const DAY = String.raw`(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?`;
const TIME = String.raw`\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?`;
const DASH = String.raw`\s*(?:-|–|—|to|until|till)\s*`;
const HOURS_LINE = new RegExp(String.raw`\b(${DAY}(?:${DASH}${DAY})?(?:\s*(?:,|&|\+|and)\s*${DAY}(?:${DASH}${DAY})?)*)\s*:?\s*(${TIME})${DASH}(${TIME})`, 'gi');

/** Hours written in page text ("Mon–Thu 11am–10pm", "Saturday & Sunday: 10:00 - 23:00"). */
export function fromText(text: string): Hours[] {
  const out: Hours[] = [];
  for (const m of text.matchAll(HOURS_LINE)) {
    const days = m[1].split(/\s*(?:,|&|\+|\band\b)\s*/i).flatMap((part) => {
      const [from, to] = part.split(new RegExp(DASH, 'i')).map((d) => dayCode(d.replace(/\.$/, '')));
      if (!from) return [];
      return to ? dayRange(from, to) : [from];
    });
    const opens = clockTime(m[2]);
    const closes = clockTime(m[3]);
    if (days.length && opens && closes && !out.some((h) => h.days.join() === days.join() && h.opens === opens)) out.push({ days, opens, closes });
  }
  return out;
}

/** The JSON-LD `openingHoursSpecification` for these hours. */
export function toSpecification(hours: readonly Hours[]): Record<string, unknown>[] {
  return hours.map((h) => ({
    '@type': 'OpeningHoursSpecification',
    dayOfWeek: h.days.map((d) => DAY_NAMES[DAY_CODES.indexOf(d as (typeof DAY_CODES)[number])]),
    opens: h.opens,
    closes: h.closes,
  }));
}
