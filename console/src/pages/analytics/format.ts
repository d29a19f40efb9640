/** The analytics payloads (core/api/analytics.ts) and how the dashboards write their figures. */
import type { AnalyticsBreakdown, AnalyticsCampaigns, AnalyticsFlowNodes, AnalyticsOverview } from '../../../../core/api/analytics';

export type { AnalyticsBreakdown, AnalyticsCampaigns, AnalyticsFlowNodes, AnalyticsOverview };

export interface Filters {
  from: string;
  to: string;
  /** '' = every channel / flow. */
  channel: string;
  flowId: string;
  granularity: 'day' | 'hour';
  /** The flow version of the drop-off graph; '' = the latest published. */
  version: string;
}

export const count = (v: number) => v.toLocaleString('en');
export const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
export const money = (v: number) => `$${v.toFixed(v >= 1 ? 2 : 4)}`;
/** 42 s, 3.5 min, 2.1 h. */
export const seconds = (v: number | null) => (v === null ? '—' : v < 90 ? `${Math.round(v)} s` : v < 5400 ? `${Math.round(v / 6) / 10} min` : `${Math.round(v / 360) / 10} h`);

/** The query string of a filter set (empty filters left out), plus `extra`. */
export const query = (f: Partial<Filters>, extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ ...f, ...extra }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString();
