/**
 * A campaign's results (`GET /v1/campaigns/:id/results`): the totals, each variant's funnel as a
 * bar chart (recharts), sends per minute, provider failures by reason, clicks per link, and the
 * per-recipient CSV. Loaded on demand: the chart library is most of this page's weight.
 */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client';
import { Table } from '../../ui';
import { Chart, Figure } from '../shared/Figures';
import { QueryStatus } from '../shared/QueryStatus';
import { usePolling, useQuery } from '../shared/useQuery';
import { CHANNEL_LABELS, SKIP_LABELS, type Counts, type Results } from './types';

const FUNNEL = [
  ['sent', 'Sent', '#2457d6'],
  ['delivered', 'Delivered', '#0f7b4a'],
  ['read', 'Read', '#6d28d9'],
  ['replied', 'Replied', '#c2410c'],
  ['clicked', 'Clicked', '#0e7490'],
] as const;

const rate = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 1000) / 10}%` : '—');

export function ResultsView({ campaignId, live }: { campaignId: string; live: boolean }) {
  const results = useQuery(() => api.get<Results>(`/v1/campaigns/${campaignId}/results`), [campaignId]);
  usePolling(() => results.reload(), 5000, live);
  return (
    <QueryStatus query={results} loadingLabel="Loading results">
      {(r) => r && <ResultsBody results={r} campaignId={campaignId} />}
    </QueryStatus>
  );
}

function ResultsBody({ results: r, campaignId }: { results: Results; campaignId: string }) {
  const t = r.totals;
  const byVariant = r.byVariant.map((v) => ({ ...v, name: `Variant ${v.variant}${r.winnerVariant === v.variant ? ' (winner)' : ''}` }));
  return (
    <div className="pg-col">
      <dl className="sc-figures" aria-label="Results">
        <Figure label="Targeted" value={t.targeted} />
        <Figure label="Sent" value={t.sent} />
        <Figure label="Delivered" value={`${t.delivered} (${rate(t.delivered, t.sent)})`} />
        <Figure label="Read" value={`${t.read} (${rate(t.read, t.sent)})`} />
        <Figure label="Failed" value={t.failed} />
        <Figure label="Replied" value={`${t.replied} (${rate(t.replied, t.sent)})`} />
        <Figure label="Clicked" value={`${t.clicked} (${rate(t.clicked, t.sent)})`} />
        <Figure label="Opted out since" value={t.optedOut} />
        {(Object.keys(SKIP_LABELS) as (keyof typeof SKIP_LABELS)[]).map((k) => (
          <Figure key={k} label={`Skipped: ${SKIP_LABELS[k]}`} value={t.skipped[k]} />
        ))}
      </dl>
      <div className="sc-charts">
        <Chart title="Funnel per variant">
          <BarChart data={byVariant}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {FUNNEL.map(([key, label, color]) => (
              <Bar key={key} dataKey={key} name={label} fill={color} isAnimationActive={false} />
            ))}
          </BarChart>
        </Chart>
        <Chart title={r.timeline.bucketMinutes === 1 ? 'Sends per minute' : `Sends per ${r.timeline.bucketMinutes} minutes`}>
          <LineChart data={r.timeline.points.map((p) => ({ ...p, label: new Date(p.at).toLocaleString(undefined, { dateStyle: r.timeline.bucketMinutes >= 60 ? 'short' : undefined, timeStyle: 'short' }) }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Line type="monotone" dataKey="sent" name="Sent" stroke="#2457d6" dot={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="failed" name="Failed" stroke="#c2410c" dot={false} isAnimationActive={false} />
          </LineChart>
        </Chart>
      </div>
      <Table
        caption="Per variant"
        rows={r.byVariant}
        rowKey={(v) => v.variant}
        empty="Nothing sent yet."
        columns={[{ key: 'variant', header: 'Variant', render: (v) => (r.winnerVariant === v.variant ? `${v.variant} (winner)` : v.variant) }, ...countColumns<Counts & { variant: string }>()]}
      />
      <Table caption="Per channel" rows={r.byChannel} rowKey={(c) => c.channel} empty="Nothing sent yet." columns={[{ key: 'channel', header: 'Channel', render: (c) => CHANNEL_LABELS[c.channel] }, ...countColumns<Counts & { channel: string }>()]} />
      {r.failures.length > 0 && (
        <Table caption="Failures by reason" rows={r.failures} rowKey={(f) => f.reason} columns={[{ key: 'reason', header: 'Provider reason', render: (f) => f.reason }, { key: 'count', header: 'Recipients', render: (f) => f.count }]} />
      )}
      {r.clicks.length > 0 && (
        <Table
          caption="Clicks by link"
          rows={r.clicks}
          rowKey={(c) => c.url}
          columns={[
            { key: 'url', header: 'Link', render: (c) => <span className="pg-mono">{c.url}</span> },
            { key: 'clicks', header: 'Clicks', render: (c) => c.clicks },
            { key: 'recipients', header: 'People', render: (c) => c.recipients },
          ]}
        />
      )}
      <div className="pg-row-end">
        <a className="btn btn-secondary btn-md pg-link-button" href={`/v1/campaigns/${campaignId}/results.csv`} download>
          Download per-recipient CSV
        </a>
      </div>
    </div>
  );
}

function countColumns<Row extends Counts>() {
  return [
    { key: 'targeted', header: 'Targeted', render: (c: Row) => c.targeted },
    { key: 'sent', header: 'Sent', render: (c: Row) => c.sent },
    { key: 'delivered', header: 'Delivered', render: (c: Row) => c.delivered },
    { key: 'failed', header: 'Failed', render: (c: Row) => c.failed },
    { key: 'replied', header: 'Replied', render: (c: Row) => c.replied },
    { key: 'clicked', header: 'Clicked', render: (c: Row) => c.clicked },
    { key: 'optedOut', header: 'Opted out', render: (c: Row) => c.optedOut },
  ];
}
