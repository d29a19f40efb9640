/**
 * Analytics (`#/analytics/<tab>`): dashboards over a date range — the overview (KPI tiles, series,
 * a table per channel or flow), per channel, per flow (with the drop-off drawn on the flow's graph)
 * and per campaign — filtered by channel (and flow), the filters in the URL, every chart's data
 * downloadable as CSV. Reads the rollups the worker keeps; days are the tenant's.
 */
import { lazy, Suspense, useState } from 'react';
import { CHANNELS } from '../../../../core/messages';
import type { AnalyticsFigures } from '../../../../core/api/analytics';
import { api } from '../../api/client';
import { flowApi } from '../../builder/flowApi';
import { Field, Input, Panel, Select, Spinner, Table, Tabs } from '../../ui';
import { Figure } from '../shared/Figures';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { CampaignsTab } from './CampaignsTab';
import { ChannelTab } from './ChannelTab';
import { ANALYTICS_TABS, useAnalyticsFilters } from './filters';
import { CsvLink, SeriesCharts } from './SeriesCharts';
import { TimezoneSetting } from './TimezoneSetting';
import { count, money, percent, query, seconds, type AnalyticsBreakdown, type AnalyticsOverview, type Filters } from './format';
import '../pages.css';

// The flow graph (React Flow) loads only when the per-flow tab opens.
const FlowTab = lazy(() => import('./FlowTab').then((m) => ({ default: m.FlowTab })));

/** The KPI tiles of a set of figures: the overview's, a channel's, a flow's. */
export function KpiTiles({ totals }: { totals: AnalyticsFigures }) {
  const o = { totals };
  return (
    <dl className="sc-figures" aria-label="Totals">
      <Figure label="Conversations" value={count(o.totals.conversations)} />
      <Figure label="Messages in / out" value={`${count(o.totals.messagesIn)} / ${count(o.totals.messagesOut)}`} />
      <Figure label="Handoff rate" value={percent(o.totals.handoffRate)} hint={`${count(o.totals.handoffs)} handoff${o.totals.handoffs === 1 ? '' : 's'}`} />
      <Figure label="Resolved without a human" value={percent(o.totals.resolutionRate)} hint={`${count(o.totals.closedWithoutHuman)} of ${count(o.totals.closed)} closed`} />
      <Figure label="First response" value={seconds(o.totals.avgFirstResponseSeconds)} hint="average" />
      <Figure label="Time to human" value={seconds(o.totals.avgTimeToHumanSeconds)} hint="average" />
      <Figure label="LLM tokens" value={count(o.totals.promptTokens + o.totals.completionTokens)} hint={money(o.totals.costUsd)} />
      <Figure label="Errors" value={count(o.totals.errors)} />
      {/* CSAT: ratings given at csat nodes (1–5; a thumbs up counts 5). */}
      <Figure label="CSAT" value={o.totals.csatAverage === null ? '—' : `${o.totals.csatAverage.toFixed(2)} / 5`} hint={`${count(o.totals.csatResponses)} rating${o.totals.csatResponses === 1 ? '' : 's'}`} />
      <Figure label="Satisfied" value={percent(o.totals.csatSatisfiedRate)} hint="rated 4–5 or 👍" />
    </dl>
  );
}

/** Tiles and series of the overview filtered as given (the overview, one channel, one flow). */
export function FiguresAndSeries({ filters, onTimezone }: { filters: Filters; onTimezone?: () => void }) {
  const overviewQuery = query({ from: filters.from, to: filters.to, channel: filters.channel, flowId: filters.flowId }, { granularity: filters.granularity });
  const overview = useQuery(() => api.get<AnalyticsOverview>(`/v1/analytics/overview?${overviewQuery}`), [overviewQuery]);
  return (
    <QueryStatus query={overview} loadingLabel="Loading analytics">
      {(o) =>
        o && (
          <>
            <KpiTiles totals={o.totals} />
            <TimezoneSetting
              timezone={o.timezone}
              onChanged={() => {
                void overview.reload();
                onTimezone?.();
              }}
            />
            <SeriesCharts series={o.series} granularity={o.granularity} csvQuery={overviewQuery} />
          </>
        )
      }
    </QueryStatus>
  );
}

function OverviewTab({ filters }: { filters: Filters }) {
  const [by, setBy] = useState<'channel' | 'flow'>('channel');
  const breakdownQuery = query({ from: filters.from, to: filters.to, channel: filters.channel, flowId: filters.flowId }, { by });
  const breakdown = useQuery(() => api.get<AnalyticsBreakdown>(`/v1/analytics/breakdown?${breakdownQuery}`), [breakdownQuery]);
  return (
    <>
      <FiguresAndSeries filters={filters} onTimezone={() => void breakdown.reload()} />
      <Panel
        title={by === 'channel' ? 'Per channel' : 'Per flow'}
        actions={
          <div className="page-head-actions">
            {breakdown.loading && <Spinner label="Loading the table" />}
            <Select aria-label="Break down by" value={by} onChange={(e) => setBy(e.target.value as 'channel' | 'flow')} options={[{ value: 'channel', label: 'Per channel' }, { value: 'flow', label: 'Per flow' }]} />
            <CsvLink href={`/v1/analytics/breakdown.csv?${breakdownQuery}`} label="Download the table as CSV" />
          </div>
        }
      >
        <Table
          caption={by === 'channel' ? 'Figures per channel' : 'Figures per flow'}
          rows={breakdown.data?.rows ?? []}
          rowKey={(r) => r.key}
          empty="Nothing happened in this range."
          columns={[
            { key: 'label', header: by === 'channel' ? 'Channel' : 'Flow', render: (r) => r.label },
            { key: 'conversations', header: 'Conversations', render: (r) => count(r.conversations) },
            { key: 'messages', header: 'Messages in / out', render: (r) => `${count(r.messagesIn)} / ${count(r.messagesOut)}` },
            { key: 'handoffRate', header: 'Handoff rate', render: (r) => percent(r.handoffRate) },
            { key: 'resolutionRate', header: 'Resolved by the bot', render: (r) => percent(r.resolutionRate) },
            { key: 'firstResponse', header: 'First response', render: (r) => seconds(r.avgFirstResponseSeconds) },
            { key: 'timeToHuman', header: 'Time to human', render: (r) => seconds(r.avgTimeToHumanSeconds) },
            { key: 'cost', header: 'LLM cost', render: (r) => money(r.costUsd) },
            { key: 'errors', header: 'Errors', render: (r) => count(r.errors) },
          ]}
        />
      </Panel>
    </>
  );
}

export function AnalyticsPage() {
  const { tab, filters, set, setTab } = useAnalyticsFilters();
  const flows = useQuery(() => flowApi.list(), []);
  const flowOptions = (flows.data ?? []).map((f) => ({ value: f.id, label: f.name }));
  const rangeQuery = query({ from: filters.from, to: filters.to, channel: filters.channel, flowId: filters.flowId });
  const content = {
    overview: () => <OverviewTab filters={filters} />,
    channels: () => <ChannelTab filters={filters} set={set} figures={(f) => <FiguresAndSeries filters={f} />} />,
    flows: () => (
      <Suspense fallback={<Spinner label="Loading the flow graph" />}>
        <FlowTab filters={filters} set={set} flows={flows.data} figures={(f) => <FiguresAndSeries filters={f} />} />
      </Suspense>
    ),
    campaigns: () => <CampaignsTab filters={filters} />,
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Analytics</h1>
        {tab === 'overview' && (
          <div className="page-head-actions">
            <a className="btn btn-secondary btn-md pg-link-button" href={`/v1/analytics/overview.csv?${rangeQuery}&granularity=${filters.granularity}`} download>
              Download series (CSV)
            </a>
            <a className="btn btn-secondary btn-md pg-link-button" href={`/v1/analytics/breakdown.csv?${rangeQuery}`} download>
              Download table (CSV)
            </a>
          </div>
        )}
      </div>
      <div className="pg-filters" role="group" aria-label="Filters">
        <Field label="From">
          <Input type="date" value={filters.from} max={filters.to} onChange={(e) => e.target.value && set({ from: e.target.value })} />
        </Field>
        <Field label="To">
          <Input type="date" value={filters.to} min={filters.from} onChange={(e) => e.target.value && set({ to: e.target.value })} />
        </Field>
        <Field label="Channel">
          <Select value={filters.channel} onChange={(e) => set({ channel: e.target.value })} options={[{ value: '', label: 'All channels' }, ...CHANNELS]} />
        </Field>
        {(tab === 'overview' || tab === 'flows') && (
          <Field label="Flow">
            <Select value={filters.flowId} onChange={(e) => set({ flowId: e.target.value, version: '' })} options={[...(tab === 'overview' ? [{ value: '', label: 'All flows' }] : []), ...flowOptions]} />
          </Field>
        )}
        {tab !== 'campaigns' && (
          <Field label="Per">
            <Select value={filters.granularity} onChange={(e) => set({ granularity: e.target.value as Filters['granularity'] })} options={[{ value: 'day', label: 'Day' }, { value: 'hour', label: 'Hour' }]} />
          </Field>
        )}
      </div>
      <Tabs label="Dashboards" active={tab} onChange={(id) => setTab(id as typeof tab)} tabs={ANALYTICS_TABS.map((t) => ({ id: t.id, label: t.label, content: t.id === tab ? content[t.id]() : null }))} />
    </div>
  );
}
