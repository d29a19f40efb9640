/**
 * Opening hours in one weekly form, from each source's own: Google's `periods` (day 0 = Sunday,
 * `{hour, minute}`), Yelp's `open` (day 0 = Monday, `"1730"`), Facebook's `mon_1_open: "11:00"`
 * keys, and schema.org's `openingHoursSpecification` and `openingHours` ("Mo-Fr 09:00-17:00").
 * A week is seven lists (Monday first) of `"HH:MM-HH:MM"` intervals, sorted; an interval that
 * ends past midnight keeps its closing time (`"18:00-02:00"`), as every source writes it.
 */
export type WeeklyHours = string[][];

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const SHORT = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (h: number, m: number) => `${pad(h % 24 === 0 && h > 0 ? 24 : h)}:${pad(m)}`;

const emptyWeek = (): WeeklyHours => Array.from({ length: 7 }, () => []);

function finish(week: WeeklyHours): WeeklyHours {
  // Midnight to midnight is the whole day, however a source writes it.
  return week.map((day) => [...new Set(day.map((i) => (i === '00:00-00:00' ? '00:00-24:00' : i)))].sort());
}

/** "0930" / "09:30" / "9:30" → "09:30"; null when it is not a time. */
export function clock(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{1,2}):?(\d{2})(?::\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59) return null;
  return hhmm(h, min);
}

/** Google Places (New) `regularOpeningHours.periods`; one period with no close is open around the clock. */
export function fromGooglePeriods(periods: { open?: { day?: number; hour?: number; minute?: number }; close?: { day?: number; hour?: number; minute?: number } }[]): WeeklyHours {
  const week = emptyWeek();
  for (const p of periods) {
    if (!p.open || typeof p.open.day !== 'number') continue;
    if (!p.close) {
      for (let d = 0; d < 7; d++) week[d].push('00:00-24:00');
      continue;
    }
    const day = (p.open.day + 6) % 7;
    week[day].push(`${hhmm(p.open.hour ?? 0, p.open.minute ?? 0)}-${hhmm(p.close.hour ?? 0, p.close.minute ?? 0).replace(/^24:/, '00:')}`);
  }
  return finish(week);
}

/** Yelp's `hours[].open` of the REGULAR hour type (day 0 = Monday). */
export function fromYelpOpen(open: { day?: number; start?: string; end?: string }[]): WeeklyHours {
  const week = emptyWeek();
  for (const o of open) {
    const start = clock(o.start);
    const end = clock(o.end);
    if (typeof o.day !== 'number' || o.day < 0 || o.day > 6 || !start || !end) continue;
    week[o.day].push(`${start}-${end === '24:00' ? '00:00' : end}`);
  }
  return finish(week);
}

/** Facebook's page `hours`: `{mon_1_open: "11:00", mon_1_close: "22:00", …}`. */
export function fromFacebookHours(hours: Record<string, string>): WeeklyHours {
  const week = emptyWeek();
  const fb = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  for (const [key, value] of Object.entries(hours)) {
    const m = /^([a-z]{3})_(\d)_open$/.exec(key);
    if (!m) continue;
    const day = fb.indexOf(m[1]);
    const open = clock(value);
    const close = clock(hours[`${m[1]}_${m[2]}_close`]);
    if (day < 0 || !open || !close) continue;
    week[day].push(`${open}-${close === '24:00' ? '00:00' : close}`);
  }
  return finish(week);
}

function dayIndex(name: string): number {
  const n = name.replace(/^https?:\/\/schema\.org\//i, '').trim().toLowerCase();
  const full = WEEKDAYS.findIndex((d) => d.toLowerCase() === n);
  return full >= 0 ? full : SHORT.indexOf(n.slice(0, 2));
}

/** Days named by "Mo-Fr", "Sa,Su", "Mo" (a range wraps: "Fr-Mo"). */
function daysOf(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-').map((s) => SHORT.indexOf(s.trim().toLowerCase().slice(0, 2)));
    if (a < 0) continue;
    if (b === undefined) out.push(a);
    else if (b >= 0) for (let d = a; ; d = (d + 1) % 7) { out.push(d); if (d === b) break; }
  }
  return out;
}

/**
 * schema.org hours: `openingHoursSpecification` (objects with `dayOfWeek`, `opens`, `closes`) or
 * `openingHours` ("Mo-Fr 09:00-17:00", "Mo-Su", a list of those). Null when neither says anything.
 */
export function fromSchemaOrg(spec: unknown, text: unknown): WeeklyHours | null {
  const week = emptyWeek();
  let any = false;
  const specs = Array.isArray(spec) ? spec : spec ? [spec] : [];
  for (const s of specs as { dayOfWeek?: unknown; opens?: unknown; closes?: unknown }[]) {
    if (!s || typeof s !== 'object') continue;
    const days = (Array.isArray(s.dayOfWeek) ? s.dayOfWeek : [s.dayOfWeek]).filter((d): d is string => typeof d === 'string').map(dayIndex);
    const open = clock(s.opens);
    const close = clock(s.closes);
    if (!open || !close) continue;
    for (const d of days) if (d >= 0) { week[d].push(`${open}-${close === '24:00' && open !== '00:00' ? '00:00' : close}`); any = true; }
  }
  const texts = (Array.isArray(text) ? text : text ? [text] : []).filter((t): t is string => typeof t === 'string');
  for (const t of texts) {
    const m = /^\s*([A-Za-z,\- ]+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(t);
    const days = m ? daysOf(m[1].replace(/\s/g, '')) : daysOf(t.trim());
    const interval = m ? `${clock(m[2])}-${clock(m[3])}` : '00:00-24:00';
    for (const d of days) { week[d].push(interval); any = true; }
  }
  return any ? finish(week) : null;
}

/** The days on which two weeks differ, with both sides, for the evidence. */
export function hoursDifferences(a: WeeklyHours, b: WeeklyHours): { day: string; a: string; b: string }[] {
  const show = (d: string[]) => (d.length ? d.join(', ') : 'closed');
  const out: { day: string; a: string; b: string }[] = [];
  for (let d = 0; d < 7; d++) if (show(a[d]) !== show(b[d])) out.push({ day: WEEKDAYS[d], a: show(a[d]), b: show(b[d]) });
  return out;
}

/** "Mon 09:00-17:00; Tue …" — a week in one line. */
export const describeWeek = (w: WeeklyHours) => w.map((d, i) => `${WEEKDAYS[i].slice(0, 3)} ${d.length ? d.join(', ') : 'closed'}`).join('; ');

const TWO = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

/** The audit's facts form (`{days: ['Mo'], opens, closes}`, core/presence/types.ts), one entry per day and interval. */
export function toDaySpecs(week: WeeklyHours): { days: string[]; opens: string; closes: string }[] {
  return week.flatMap((day, i) => day.map((interval) => {
    const [opens, closes] = interval.split('-');
    return { days: [TWO[i]], opens, closes };
  }));
}

/** Back from the facts form (days as `Mo`, `Monday` or schema.org URLs). */
export function fromDaySpecs(specs: { days: string[]; opens: string; closes: string }[]): WeeklyHours | null {
  return fromSchemaOrg(specs.map((s) => ({ dayOfWeek: s.days.map((d) => (TWO.includes(d) ? WEEKDAYS[TWO.indexOf(d)] : d)), opens: s.opens, closes: s.closes })), undefined);
}
