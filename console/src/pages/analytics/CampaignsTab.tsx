/**
 * Per campaign: the campaigns started (or scheduled) in the range with their funnels, the funnel
 * of them all, and a per-day series of their recipients; each campaign links to its results page.
 */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { CAMPAIGN_FUNNEL_STAGES } from '../../../../core/api/analytics';
import { api } from '../../api/client';
import { Link } from '../../app/router';
import { Panel, Table } from '../../ui';
import { Chart } from '../shared/Figures';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { CsvLink } from './SeriesCharts';
import { count, percent, query, type AnalyticsCampaigns, type Filters } from './format';

const STAGE_LABELS: Record<(typeof CAMPAIGN_FUNNEL_STAGES)[number], string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  clicked: 'Clicked',
  replied: 'Replied',
  optedOut: 'Opted out',
  failed: 'Failed',
};
const COLORS = ['#2457d6', '#0f7b4a', '#7c3aed', '#0f766e', '#9a6200', '#6b7280', '#c2410c'];

export function CampaignsTab({ filters }: { filters: Filters }) {
  const q = query({ from: filters.from, to: filters.to, channel: filters.channel });
  const data = useQuery(() => api.get<AnalyticsCampaigns>(`/v1/analytics/campaigns?${q}`), [q]);
  return (
    <QueryStatus query={data} loadingLabel="Loading campaigns">
      {(d) =>
        d && (
          <>
            <div className="sc-charts">
              <Chart title="Funnel" actions={<CsvLink href={`/v1/analytics/campaigns.csv?${q}&part=funnel`} label="Download the funnel as CSV" />}>
                <BarChart data={CAMPAIGN_FUNNEL_STAGES.map((s) => ({ stage: STAGE_LABELS[s], recipients: d.totals[s] }))}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="stage" tick={{ fontSize: 11 }} />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar dataKey="recipients" name="Recipients" fill="#2457d6" isAnimationActive={false} />
                </BarChart>
              </Chart>
              <Chart title="Per day" actions={<CsvLink href={`/v1/analytics/campaigns.csv?${q}&part=series`} label="Download the campaigns per day as CSV" />}>
                <LineChart data={d.series}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="bucket" tickFormatter={(b: string) => b.slice(5)} tick={{ fontSize: 11 }} />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  {CAMPAIGN_FUNNEL_STAGES.map((s, i) => (
                    <Line key={s} type="monotone" dataKey={s} name={STAGE_LABELS[s]} stroke={COLORS[i]} dot={false} isAnimationActive={false} />
                  ))}
                </LineChart>
              </Chart>
            </div>
            <Panel title="Campaigns" actions={<CsvLink href={`/v1/analytics/campaigns.csv?${q}&part=campaigns`} label="Download the campaigns as CSV" />}>
              <Table
                caption="Campaigns in this range"
                rows={d.campaigns}
                rowKey={(c) => c.id}
                empty="No campaign started in this range."
                columns={[
                  { key: 'name', header: 'Campaign', render: (c) => <Link to={`/campaigns/${c.id}`}>{c.name}</Link> },
                  { key: 'status', header: 'Status', render: (c) => c.status },
                  { key: 'started', header: 'Started', render: (c) => (c.startedAt ? c.startedAt.slice(0, 16).replace('T', ' ') : 'not yet') },
                  ...CAMPAIGN_FUNNEL_STAGES.map((s) => ({ key: s, header: STAGE_LABELS[s], render: (c: AnalyticsCampaigns['campaigns'][number]) => count(c[s]) })),
                  { key: 'readRate', header: 'Read rate', render: (c) => percent(c.sent ? c.read / c.sent : null) },
                ]}
              />
            </Panel>
          </>
        )
      }
    </QueryStatus>
  );
}
