/**
 * A banner above every page while a quota of the workspace is at 80 % or more (GET /v1/usage,
 * checked on load and every few minutes), linking to the Usage page.
 */
import { useEffect, useState } from 'react';
import type { QuotaUsageDto, UsageResponse } from '../../../core/api/quotas';
import { api } from '../api/client';
import { Link } from './router';

const EVERY_MS = 5 * 60_000;

export function QuotaBanner() {
  const [over, setOver] = useState<QuotaUsageDto[]>([]);
  useEffect(() => {
    let alive = true;
    const check = () =>
      api
        .get<UsageResponse>('/v1/usage')
        .then((u) => alive && setOver(u.quotas.filter((q) => q.level !== 'ok')))
        .catch(() => undefined);
    void check();
    const timer = setInterval(check, EVERY_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);
  if (!over.length) return null;
  const exceeded = over.filter((q) => q.level === 'exceeded');
  const names = (list: QuotaUsageDto[]) => list.map((q) => q.label).join(', ');
  return (
    <div className={`quota-banner${exceeded.length ? ' quota-banner-exceeded' : ''}`} role="status">
      <span>
        {exceeded.length ? `Quota reached: ${names(exceeded)}.` : `Quota over 80 %: ${names(over)}.`}
        {exceeded.length > 0 && exceeded.length < over.length ? ` Over 80 %: ${names(over.filter((q) => q.level === 'warning'))}.` : ''}
      </span>
      <Link to="/usage">See usage</Link>
    </div>
  );
}
