/**
 * The periods the marketing assistant speaks of ("last week", "this month", "the last 30 days"),
 * resolved to local dates (YYYY-MM-DD, inclusive) in the tenant's timezone. Weeks start on Monday.
 * Pure: `today` is given, so a period resolves the same way in a test, a tool call and the console.
 */
export const PERIODS = ['today', 'yesterday', 'this_week', 'last_week', 'last_7_days', 'last_30_days', 'this_month', 'last_month'] as const;
export type PeriodName = (typeof PERIODS)[number];

export interface Period {
  from: string;
  to: string;
  /** How an answer names it: "last week (2026-11-23 – 2026-11-29)". */
  label: string;
}

export const DEFAULT_PERIOD: PeriodName = 'last_7_days';
/** The longest range a tool reads (the analytics API's own limit on daily figures). */
export const MAX_PERIOD_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);
export const addDays = (date: string, n: number) => new Date(ms(date) + n * 86_400_000).toISOString().slice(0, 10);
export const daysBetween = (from: string, to: string) => Math.round((ms(to) - ms(from)) / 86_400_000) + 1;
export const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value) && !Number.isNaN(ms(value)) && new Date(ms(value)).toISOString().startsWith(value);
export const isPeriodName = (value: unknown): value is PeriodName => typeof value === 'string' && (PERIODS as readonly string[]).includes(value);

/** The local date of `now` in `timezone`. */
export const localDate = (timezone: string, now: Date = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

const monday = (date: string) => addDays(date, -((new Date(ms(date)).getUTCDay() + 6) % 7));
const firstOfMonth = (date: string) => `${date.slice(0, 8)}01`;

function named(name: PeriodName, today: string): { from: string; to: string } {
  switch (name) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'this_week':
      return { from: monday(today), to: today };
    case 'last_week': {
      const from = addDays(monday(today), -7);
      return { from, to: addDays(from, 6) };
    }
    case 'last_7_days':
      return { from: addDays(today, -6), to: today };
    case 'last_30_days':
      return { from: addDays(today, -29), to: today };
    case 'this_month':
      return { from: firstOfMonth(today), to: today };
    case 'last_month': {
      const to = addDays(firstOfMonth(today), -1);
      return { from: firstOfMonth(to), to };
    }
  }
}

/**
 * A tool's period arguments: explicit `from`/`to` dates win, then a named `period`, else the last
 * 7 days (or `fallback`). Refuses (a message the model can act on) what cannot be a range.
 */
export function resolvePeriod(args: { period?: unknown; from?: unknown; to?: unknown }, today: string, fallback: PeriodName = DEFAULT_PERIOD): Period | { error: string } {
  if (args.from !== undefined || args.to !== undefined) {
    if (!isDate(args.from) || (args.to !== undefined && !isDate(args.to))) return { error: 'from and to must be dates written YYYY-MM-DD' };
    const to = (args.to as string | undefined) ?? today;
    if (to < args.from) return { error: 'to is before from' };
    if (daysBetween(args.from, to) > MAX_PERIOD_DAYS) return { error: `a period may span ${MAX_PERIOD_DAYS} days at most` };
    return { from: args.from, to, label: `${args.from} – ${to}` };
  }
  if (args.period !== undefined && !isPeriodName(args.period)) return { error: `period must be one of ${PERIODS.join(', ')}` };
  const name = (args.period as PeriodName | undefined) ?? fallback;
  const { from, to } = named(name, today);
  return { from, to, label: `${name.replaceAll('_', ' ')} (${from === to ? from : `${from} – ${to}`})` };
}

/** The period of the same length just before: what a figure is compared with. */
export function previousPeriod(p: { from: string; to: string }): Period {
  const days = daysBetween(p.from, p.to);
  const to = addDays(p.from, -1);
  const from = addDays(to, -(days - 1));
  return { from, to, label: `the ${days === 1 ? 'day' : `${days} days`} before (${from === to ? from : `${from} – ${to}`})` };
}
