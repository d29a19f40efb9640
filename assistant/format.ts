/**
 * Figures as people read them, shared by the sources an answer cites and the offline answers, so
 * both say the same numbers the same way: rates as whole percentages, seconds rounded, "–" for a
 * figure that has nothing to count (a rate with no conversations).
 */
import type { AnalyticsFigures } from '../core/api/analytics';

export const pct = (rate: number | null | undefined) => (rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)} %`);
export const secs = (s: number | null | undefined) => (s === null || s === undefined ? '–' : s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);
export const csat = (f: Pick<AnalyticsFigures, 'csatAverage' | 'csatResponses'>) => (f.csatAverage === null ? 'no ratings' : `${f.csatAverage.toFixed(1)} of 5 (${f.csatResponses} ratings)`);

/** The change between two counts, "+12 (+40 %)", or "" when there is nothing before to compare with. */
export function change(now: number, before: number): string {
  const diff = now - before;
  if (before === 0) return diff === 0 ? 'no change' : `+${diff}`;
  return `${diff >= 0 ? '+' : ''}${diff} (${diff >= 0 ? '+' : ''}${Math.round((diff / before) * 100)} %)`;
}

/** One line of a period's conversation figures. */
export function figuresLine(f: AnalyticsFigures): string {
  return [
    `conversations ${f.conversations}`,
    `resolution ${pct(f.resolutionRate)}`,
    `handoff ${pct(f.handoffRate)}`,
    `first response ${secs(f.avgFirstResponseSeconds)}`,
    `CSAT ${csat(f)}`,
  ].join(' · ');
}

export interface FunnelCounts {
  targeted: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  clicked: number;
  failed: number;
}

export function funnelLine(c: FunnelCounts): string {
  const of = (n: number) => (c.sent > 0 ? ` (${Math.round((n / c.sent) * 100)} %)` : '');
  return `sent ${c.sent} of ${c.targeted} · delivered ${c.delivered}${of(c.delivered)} · read ${c.read}${of(c.read)} · replied ${c.replied}${of(c.replied)} · clicked ${c.clicked} · failed ${c.failed}`;
}
