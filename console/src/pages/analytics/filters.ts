/**
 * The dashboards' tab and filters live in the URL (`#/analytics/flows?from=…&to=…&channel=…`), so
 * a link or a reload shows the same figures; the CSV links are built from the same filters.
 */
import { navigate, useLocation } from '../../app/router';
import { addDays, todayIn } from '../scheduling/types';
import { query, type Filters } from './format';

export const ANALYTICS_TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'channels', label: 'Per channel' },
  { id: 'flows', label: 'Per flow' },
  { id: 'campaigns', label: 'Per campaign' },
] as const;
export type AnalyticsTab = (typeof ANALYTICS_TABS)[number]['id'];

const isTab = (s: string | undefined): s is AnalyticsTab => ANALYTICS_TABS.some((t) => t.id === s);

export function useAnalyticsFilters() {
  const { path, query: q } = useLocation();
  const asked = path.split('/')[2];
  const tab: AnalyticsTab = isTab(asked) ? asked : 'overview';
  const today = todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const to = q.get('to') || today;
  const filters: Filters = {
    from: q.get('from') || addDays(to, -6),
    to,
    channel: q.get('channel') ?? '',
    flowId: q.get('flowId') ?? '',
    granularity: q.get('granularity') === 'hour' ? 'hour' : 'day',
    version: q.get('version') ?? '',
  };
  const go = (nextTab: AnalyticsTab, f: Filters) => navigate(`/analytics/${nextTab}?${query(f)}`, { replace: true });
  return {
    tab,
    filters,
    set: (patch: Partial<Filters>) => go(tab, { ...filters, ...patch }),
    setTab: (next: AnalyticsTab) => go(next, filters),
  };
}
