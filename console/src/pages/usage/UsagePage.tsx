/**
 * Usage: one bar per quota of the workspace (used / limit, the period's reset time), from
 * GET /v1/usage. Bars turn amber at 80 % and red at 100 %; an unlimited quota shows its count only.
 */
import type { QuotaUsageDto, UsageResponse } from '../../../../core/api/quotas';
import { api } from '../../api/client';
import { Badge, Button, Panel } from '../../ui';
import { formatBytes, formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import './usage.css';

const amount = (q: QuotaUsageDto, n: number) => (q.unit === 'bytes' ? formatBytes(n) : n.toLocaleString());

const CONSEQUENCE: Record<QuotaUsageDto['quota'], string> = {
  messages_per_minute: 'Over it, the API answers 429 and channel messages are kept without a bot reply.',
  llm_tokens_per_month: 'Over it, flows answer with their offline replies until the month ends.',
  campaign_sends_per_day: 'Over it, sending campaigns wait for the next day and carry on by themselves.',
  storage_bytes: 'Over it, uploads are refused until files are deleted.',
};

function resetText(q: QuotaUsageDto): string {
  if (!q.resetsAt) return q.quota === 'storage_bytes' ? 'Frees up when documents or media are deleted' : '';
  return q.quota === 'messages_per_minute' ? `Full again by ${formatDateTime(q.resetsAt)}` : `Resets ${formatDateTime(q.resetsAt)} (UTC period)`;
}

export function QuotaBar({ q }: { q: QuotaUsageDto }) {
  const share = q.limit ? Math.min(1, q.used / q.limit) : 0;
  const percent = Math.round(share * 100);
  return (
    <div className={`usage-row usage-${q.level}`} data-quota={q.quota}>
      <div className="usage-head">
        <span className="usage-label">{q.label}</span>
        {q.level !== 'ok' && <Badge tone={q.level === 'exceeded' ? 'danger' : 'warning'}>{q.level === 'exceeded' ? 'Limit reached' : 'Over 80 %'}</Badge>}
        <span className="usage-figures">{q.limit === null ? `${amount(q, q.used)} · unlimited` : `${amount(q, q.used)} of ${amount(q, q.limit)} (${percent} %)`}</span>
      </div>
      <div
        className="usage-track"
        role="progressbar"
        aria-label={q.label}
        aria-valuemin={0}
        aria-valuemax={q.limit ?? undefined}
        aria-valuenow={q.used}
        aria-valuetext={q.limit === null ? `${amount(q, q.used)}, unlimited` : `${percent} %`}
      >
        <div className="usage-fill" style={{ width: `${q.limit === null ? 0 : Math.max(share > 0 ? 1 : 0, percent)}%` }} />
      </div>
      <div className="pg-muted usage-foot">
        <span>{resetText(q)}</span>
        <span>{CONSEQUENCE[q.quota]}</span>
      </div>
    </div>
  );
}

export function UsagePage() {
  const usage = useQuery(() => api.get<UsageResponse>('/v1/usage'), []);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Usage</h1>
        <Button onClick={() => void usage.reload()}>Refresh</Button>
      </div>
      <Panel title="Quotas">
        <p className="pg-muted">What this workspace may use, set by the platform operator. Admins get an email at 80 % and at 100 % of each quota.</p>
        <QueryStatus query={usage} loadingLabel="Loading usage">
          {(data) => (
            <div className="usage-list">
              {data?.quotas.map((q) => <QuotaBar key={q.quota} q={q} />)}
            </div>
          )}
        </QueryStatus>
      </Panel>
    </div>
  );
}
