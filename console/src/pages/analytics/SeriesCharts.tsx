/**
 * The series charts of the overview, the per-channel and the per-flow dashboards; each with a CSV
 * link to exactly its own columns (`overview.csv?figures=…`).
 */
import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsFigures } from '../../../../core/api/analytics';
import { Chart } from '../shared/Figures';
import type { AnalyticsOverview } from './format';

export function CsvLink({ href, label }: { href: string; label: string }) {
  return (
    <a className="btn btn-secondary btn-sm pg-link-button" href={href} download aria-label={label}>
      CSV
    </a>
  );
}

type Series = AnalyticsOverview['series'];
interface SeriesChart {
  title: string;
  figures: (keyof AnalyticsFigures)[];
  draw: (series: Series, axis: ReactElement) => ReactElement;
}

const common = (axis: ReactElement) => [<CartesianGrid key="grid" strokeDasharray="3 3" />, axis, <Tooltip key="tip" />, <Legend key="legend" />];

const CHARTS: SeriesChart[] = [
  {
    title: 'Conversations and handoffs',
    figures: ['conversations', 'handoffs', 'closedWithoutHuman'],
    draw: (data, axis) => (
      <LineChart data={data}>
        {common(axis)}
        <YAxis allowDecimals={false} />
        <Line type="monotone" dataKey="conversations" name="Conversations" stroke="#2457d6" dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="handoffs" name="Handoffs" stroke="#c2410c" dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="closedWithoutHuman" name="Resolved by the bot" stroke="#0f7b4a" dot={false} isAnimationActive={false} />
      </LineChart>
    ),
  },
  {
    title: 'Messages',
    figures: ['messagesIn', 'messagesOut'],
    draw: (data, axis) => (
      <BarChart data={data}>
        {common(axis)}
        <YAxis allowDecimals={false} />
        <Bar dataKey="messagesIn" name="In" stackId="m" fill="#2457d6" isAnimationActive={false} />
        <Bar dataKey="messagesOut" name="Out" stackId="m" fill="#93a8e8" isAnimationActive={false} />
      </BarChart>
    ),
  },
  {
    title: 'Response times (s)',
    figures: ['avgFirstResponseSeconds', 'avgTimeToHumanSeconds'],
    draw: (data, axis) => (
      <LineChart data={data}>
        {common(axis)}
        <YAxis />
        <Line type="monotone" dataKey="avgFirstResponseSeconds" name="First response" stroke="#2457d6" connectNulls isAnimationActive={false} />
        <Line type="monotone" dataKey="avgTimeToHumanSeconds" name="Time to human" stroke="#c2410c" connectNulls isAnimationActive={false} />
      </LineChart>
    ),
  },
  {
    title: 'LLM cost and errors',
    figures: ['costUsd', 'errors'],
    draw: (data, axis) => (
      <BarChart data={data}>
        {common(axis)}
        <YAxis yAxisId="cost" />
        <YAxis yAxisId="errors" orientation="right" allowDecimals={false} />
        <Bar yAxisId="cost" dataKey="costUsd" name="Cost (USD)" fill="#6b7280" isAnimationActive={false} />
        <Bar yAxisId="errors" dataKey="errors" name="Errors" fill="#c2410c" isAnimationActive={false} />
      </BarChart>
    ),
  },
];

/** `csvQuery`: the overview's query string (filters and granularity) the charts were read with. */
export function SeriesCharts({ series, granularity, csvQuery }: { series: Series; granularity: 'day' | 'hour'; csvQuery: string }) {
  const tick = (bucket: string) => (granularity === 'hour' ? `${bucket.slice(5, 10)} ${bucket.slice(11, 16)}` : bucket.slice(5));
  const axis = <XAxis key="x" dataKey="bucket" tickFormatter={tick} tick={{ fontSize: 11 }} />;
  return (
    <div className="sc-charts">
      {CHARTS.map((c) => (
        <Chart key={c.title} title={c.title} actions={<CsvLink href={`/v1/analytics/overview.csv?${csvQuery}&figures=${c.figures.join(',')}`} label={`Download “${c.title}” as CSV`} />}>
          {c.draw(series, axis)}
        </Chart>
      ))}
    </div>
  );
}
