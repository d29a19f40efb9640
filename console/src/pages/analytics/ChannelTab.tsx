/**
 * Per channel: the channels side by side (a chart and its CSV), then the chosen channel's tiles and
 * series. The channel is the page's Channel filter, so it is in the URL like the dates.
 */
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client';
import { Button } from '../../ui';
import { Chart } from '../shared/Figures';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { CsvLink } from './SeriesCharts';
import { query, type AnalyticsBreakdown, type Filters } from './format';

const COMPARED = ['conversations', 'handoffs', 'closedWithoutHuman', 'errors'] as const;

/** `figures`: the page's tiles and series for a filter set (AnalyticsPage's FiguresAndSeries). */
export function ChannelTab({ filters, set, figures }: { filters: Filters; set: (patch: Partial<Filters>) => void; figures: (f: Filters) => ReactNode }) {
  // Every channel, whatever the filter: the comparison is what the filter picks from.
  const breakdownQuery = query({ from: filters.from, to: filters.to }, { by: 'channel' });
  const breakdown = useQuery(() => api.get<AnalyticsBreakdown>(`/v1/analytics/breakdown?${breakdownQuery}`), [breakdownQuery]);
  return (
    <>
      <QueryStatus query={breakdown} loadingLabel="Loading channels">
        {(b) =>
          b && (
            <>
              <Chart title="Channels compared" actions={<CsvLink href={`/v1/analytics/breakdown.csv?${breakdownQuery}&figures=${COMPARED.join(',')}`} label="Download “Channels compared” as CSV" />}>
                <BarChart data={b.rows}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="label" tick={{ fontSize: 11 }} />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="conversations" name="Conversations" fill="#2457d6" isAnimationActive={false} />
                  <Bar dataKey="handoffs" name="Handoffs" fill="#c2410c" isAnimationActive={false} />
                  <Bar dataKey="closedWithoutHuman" name="Resolved by the bot" fill="#0f7b4a" isAnimationActive={false} />
                  <Bar dataKey="errors" name="Errors" fill="#6b7280" isAnimationActive={false} />
                </BarChart>
              </Chart>
              <div className="pg-row" role="group" aria-label="Pick a channel">
                {b.rows.map((r) => (
                  <Button key={r.key} size="sm" variant={filters.channel === r.key ? 'primary' : 'secondary'} aria-pressed={filters.channel === r.key} onClick={() => set({ channel: r.key })}>
                    {r.label}
                  </Button>
                ))}
              </div>
            </>
          )
        }
      </QueryStatus>
      {filters.channel ? (
        <>
          <h2 className="pg-h3">Channel: {filters.channel}</h2>
          {figures({ ...filters, flowId: '' })}
        </>
      ) : (
        <p className="pg-muted">Pick a channel above (or in the Channel filter) for its figures and series.</p>
      )}
    </>
  );
}
