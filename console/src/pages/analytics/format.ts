/** The analytics payloads (core/api/analytics.ts) and how the dashboard writes their figures. */
import type { AnalyticsBreakdown, AnalyticsOverview } from '../../../../core/api/analytics';

export type { AnalyticsBreakdown, AnalyticsOverview };

export interface Filters {
  from: string;
  to: string;
  /** '' = every channel / flow. */
  channel: string;
  flowId: string;
  granularity: 'day' | 'hour';
}

export const count = (v: number) => v.toLocaleString('en');
export const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
export const money = (v: number) => `$${v.toFixed(v >= 1 ? 2 : 4)}`;
/** 42 s, 3.5 min, 2.1 h. */
export const seconds = (v: number | null) => (v === null ? '—' : v < 90 ? `${Math.round(v)} s` : v < 5400 ? `${Math.round(v / 6) / 10} min` : `${Math.round(v / 360) / 10} h`);
