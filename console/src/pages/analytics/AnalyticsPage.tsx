/**
 * Analytics (`/v1/analytics/*`): how the assistant is doing over a date range — KPI tiles, series
 * by day or hour, and a table per channel or per flow — filtered by channel and flow, every chart's
 * data downloadable as CSV. Reads the hourly rollups the worker keeps; days are the tenant's.
 */
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { CHANNELS } from '../../../../core/messages';
import { api } from '../../api/client';
import { flowApi } from '../../builder/flowApi';
import { Field, Input, Panel, Select, Spinner, Table } from '../../ui';
import { Chart, Figure } from '../shared/Figures';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { addDays, todayIn } from '../scheduling/types';
import { TimezoneSetting } from './TimezoneSetting';
import { count, money, percent, seconds, type AnalyticsBreakdown, type AnalyticsOverview, type Filters } from './format';
import '../pages.css';

const query = (f: Filters, extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ from: f.from, to: f.to, ...(f.channel ? { channel: f.channel } : {}), ...(f.flowId ? { flowId: f.flowId } : {}), ...extra })).toString();

function CsvLink({ href, label }: { href: string; label: string }) {
  return (
    <a className="btn btn-secondary btn-sm pg-link-button" href={href} download aria-label={label}>
      CSV
    </a>
  );
}

export function AnalyticsPage() {
  const today = todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [filters, setFilters] = useState<Filters>({ from: addDays(today, -6), to: today, channel: '', flowId: '', granularity: 'day' });
  const [by, setBy] = useState<'channel' | 'flow'>('channel');
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const flows = useQuery(() => flowApi.list(), []);
  const overviewQuery = query(filters, { granularity: filters.granularity });
  const overview = useQuery(() => api.get<AnalyticsOverview>(`/v1/analytics/overview?${overviewQuery}`), [overviewQuery]);
  const breakdownQuery = query(filters, { by });
  const breakdown = useQuery(() => api.get<AnalyticsBreakdown>(`/v1/analytics/breakdown?${breakdownQuery}`), [breakdownQuery]);
  const seriesCsv = <CsvLink href={`/v1/analytics/overview.csv?${overviewQuery}`} label="Download the series as CSV" />;
  const tick = (bucket: string) => (filters.granularity === 'hour' ? `${bucket.slice(5, 10)} ${bucket.slice(11, 16)}` : bucket.slice(5));

  return (
    <div className="page">
      <div className="page-head">
        <h1>Analytics</h1>
        <div className="page-head-actions">
          <a className="btn btn-secondary btn-md pg-link-button" href={`/v1/analytics/overview.csv?${overviewQuery}`} download>
            Download series (CSV)
          </a>
          <a className="btn btn-secondary btn-md pg-link-button" href={`/v1/analytics/breakdown.csv?${breakdownQuery}`} download>
            Download table (CSV)
          </a>
        </div>
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
        <Field label="Flow">
          <Select value={filters.flowId} onChange={(e) => set({ flowId: e.target.value })} options={[{ value: '', label: 'All flows' }, ...(flows.data ?? []).map((f) => ({ value: f.id, label: f.name }))]} />
        </Field>
        <Field label="Per">
          <Select value={filters.granularity} onChange={(e) => set({ granularity: e.target.value as Filters['granularity'] })} options={[{ value: 'day', label: 'Day' }, { value: 'hour', label: 'Hour' }]} />
        </Field>
      </div>
      <QueryStatus query={overview} loadingLabel="Loading analytics">
        {(o) =>
          o && (
            <>
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
              <TimezoneSetting
                timezone={o.timezone}
                onChanged={() => {
                  void overview.reload();
                  void breakdown.reload();
                }}
              />
              <div className="sc-charts">
                <Chart title="Conversations and handoffs" actions={seriesCsv}>
                  <LineChart data={o.series}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="bucket" tickFormatter={tick} tick={{ fontSize: 11 }} />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Legend />
                    <Line type="monotone" dataKey="conversations" name="Conversations" stroke="#2457d6" dot={false} isAnimationActive={false} />
                    <Line type="monotone" dataKey="handoffs" name="Handoffs" stroke="#c2410c" dot={false} isAnimationActive={false} />
                    <Line type="monotone" dataKey="closedWithoutHuman" name="Resolved by the bot" stroke="#0f7b4a" dot={false} isAnimationActive={false} />
                  </LineChart>
                </Chart>
                <Chart title="Messages" actions={seriesCsv}>
                  <BarChart data={o.series}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="bucket" tickFormatter={tick} tick={{ fontSize: 11 }} />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Legend />
                    <Bar dataKey="messagesIn" name="In" stackId="m" fill="#2457d6" isAnimationActive={false} />
                    <Bar dataKey="messagesOut" name="Out" stackId="m" fill="#93a8e8" isAnimationActive={false} />
                  </BarChart>
                </Chart>
                <Chart title="Response times (s)" actions={seriesCsv}>
                  <LineChart data={o.series}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="bucket" tickFormatter={tick} tick={{ fontSize: 11 }} />
                    <YAxis />
                    <Tooltip />
                    <Legend />
                    <Line type="monotone" dataKey="avgFirstResponseSeconds" name="First response" stroke="#2457d6" connectNulls isAnimationActive={false} />
                    <Line type="monotone" dataKey="avgTimeToHumanSeconds" name="Time to human" stroke="#c2410c" connectNulls isAnimationActive={false} />
                  </LineChart>
                </Chart>
                <Chart title="LLM cost and errors" actions={seriesCsv}>
                  <BarChart data={o.series}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="bucket" tickFormatter={tick} tick={{ fontSize: 11 }} />
                    <YAxis yAxisId="cost" />
                    <YAxis yAxisId="errors" orientation="right" allowDecimals={false} />
                    <Tooltip />
                    <Legend />
                    <Bar yAxisId="cost" dataKey="costUsd" name="Cost (USD)" fill="#6b7280" isAnimationActive={false} />
                    <Bar yAxisId="errors" dataKey="errors" name="Errors" fill="#c2410c" isAnimationActive={false} />
                  </BarChart>
                </Chart>
              </div>
            </>
          )
        }
      </QueryStatus>
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
    </div>
  );
}
