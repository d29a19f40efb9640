/**
 * Booking analytics (`GET /v1/appointments/analytics`): the totals as figures, then bookings and
 * cancellations per day, the busiest start hours and how far ahead people book, as charts.
 */
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client';
import { Field, Input, Table } from '../../ui';
import { Chart, Figure } from '../shared/Figures';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { addDays, todayIn, type Analytics } from './types';

const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const hours = (v: number | null) => (v === null ? '—' : v < 48 ? `${Math.round(v)} h` : `${Math.round(v / 24)} days`);

export function AnalyticsView() {
  const today = todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(addDays(today, 30));
  const stats = useQuery(() => api.get<Analytics>(`/v1/appointments/analytics?${new URLSearchParams({ from, to })}`), [from, to]);
  return (
    <div className="pg-col">
      <div className="pg-filters">
        <Field label="From">
          <Input type="date" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} />
        </Field>
        <Field label="To">
          <Input type="date" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} />
        </Field>
      </div>
      <QueryStatus query={stats} loadingLabel="Loading analytics">
        {(a) =>
          a && (
            <>
              <dl className="sc-figures" aria-label="Totals">
                <Figure label="Bookings" value={String(a.totals.bookings)} />
                <Figure label="Cancellations" value={`${a.totals.cancellations} (${percent(a.totals.cancellationRate)})`} />
                <Figure label="No-show rate" value={percent(a.totals.noShowRate)} />
                <Figure label="Median lead time" value={hours(a.totals.leadTimeHoursMedian)} />
              </dl>
              <div className="sc-charts">
                <Chart title="Bookings per day">
                  <LineChart data={a.daily}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="date" tick={{ fontSize: 11 }} />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Legend />
                    <Line type="monotone" dataKey="bookings" name="Bookings" stroke="#2457d6" dot={false} isAnimationActive={false} />
                    <Line type="monotone" dataKey="cancellations" name="Cancellations" stroke="#c2410c" dot={false} isAnimationActive={false} />
                    <Line type="monotone" dataKey="noShows" name="No-shows" stroke="#6b7280" dot={false} isAnimationActive={false} />
                  </LineChart>
                </Chart>
                <Chart title="Busiest hours">
                  <BarChart data={a.busiestHours}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="hour" tickFormatter={(h: number) => `${h}:00`} tick={{ fontSize: 11 }} />
                    <YAxis allowDecimals={false} />
                    <Tooltip labelFormatter={(h) => `${h}:00`} />
                    <Bar dataKey="bookings" name="Bookings" fill="#2457d6" isAnimationActive={false} />
                  </BarChart>
                </Chart>
                <Chart title="Lead time">
                  <BarChart data={a.leadTime}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="bucket" tick={{ fontSize: 11 }} />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Bar dataKey="bookings" name="Bookings" fill="#0f7b4a" isAnimationActive={false} />
                  </BarChart>
                </Chart>
              </div>
              <Table
                caption="By service"
                rows={a.byService}
                rowKey={(s) => s.serviceId}
                empty="No bookings in this range."
                columns={[
                  { key: 'name', header: 'Service', render: (s) => s.serviceName },
                  { key: 'bookings', header: 'Bookings', render: (s) => s.bookings },
                  { key: 'cancellations', header: 'Cancellations', render: (s) => s.cancellations },
                ]}
              />
            </>
          )
        }
      </QueryStatus>
    </div>
  );
}
