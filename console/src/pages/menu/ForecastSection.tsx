/**
 * Demand per item and day: the model in words (weekday index × linear trend), its backtest on the
 * last held-out weeks with the MAPE, the held-out days drawn against their forecast, and the next
 * week per item.
 */
import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client';
import { Field, Select, Table } from '../../ui';
import { Chart, Figure } from '../shared/Figures';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { percent, type ForecastDto } from './types';

const round = (x: number) => Math.round(x * 10) / 10 || 0;
const signed = (x: number) => (round(x) > 0 ? `+${round(x)}` : String(round(x)));

export function ForecastSection() {
  const [weeks, setWeeks] = useState(12);
  const [holdoutWeeks, setHoldoutWeeks] = useState(2);
  const forecast = useQuery(() => api.get<ForecastDto>(`/v1/menu/forecast?weeks=${weeks}&holdoutWeeks=${holdoutWeeks}&days=7`), [weeks, holdoutWeeks]);
  return (
    <div>
      <div className="menu-period">
        <Field label="History">
          <Select value={String(weeks)} onChange={(e) => setWeeks(Number(e.target.value))}>
            {[4, 8, 12, 26, 52].map((w) => (
              <option key={w} value={w}>
                {w} weeks
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Held out for the backtest">
          <Select value={String(holdoutWeeks)} onChange={(e) => setHoldoutWeeks(Number(e.target.value))}>
            {[1, 2, 4].map((w) => (
              <option key={w} value={w}>
                {w} {w === 1 ? 'week' : 'weeks'}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <QueryStatus query={forecast} loadingLabel="Fitting the forecast">
        {(f) =>
          f && (
            <>
              <dl className="sc-figures" aria-label="Backtest">
                <Figure label="MAPE, all items" value={percent(f.total.backtest?.mape)} hint={f.total.backtest ? `${f.total.backtest.testFrom} – ${f.total.backtest.testTo}, fitted on ${f.total.backtest.trainFrom} – ${f.total.backtest.trainTo}` : 'needs two weeks to learn from besides the held-out ones'} />
                <Figure label="Next 7 days" value={round(f.total.next.reduce((s, d) => s + d.quantity, 0))} hint="units forecast, all items" />
              </dl>
              <ul className="menu-arithmetic" aria-label="How the forecast works">
                {f.total.explanation.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              {f.total.backtest && (
                <Chart title="Held-out days: actual and forecast (all items)">
                  <LineChart data={f.total.backtest.days.map((d) => ({ day: d.day.slice(5), actual: d.actual, forecast: round(d.forecast) }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="day" />
                    <YAxis />
                    <Tooltip />
                    <Legend />
                    <Line dataKey="actual" stroke="#2457d6" name="Actual" isAnimationActive={false} />
                    <Line dataKey="forecast" stroke="#c2410c" strokeDasharray="4 4" name="Forecast" isAnimationActive={false} />
                  </LineChart>
                </Chart>
              )}
              <Table
                caption="Forecast per item"
                rows={f.items}
                rowKey={(i) => i.itemId ?? i.name}
                empty="No sales in this window."
                columns={[
                  { key: 'name', header: 'Item' },
                  { key: 'mape', header: 'MAPE', render: (i) => percent(i.backtest?.mape) },
                  { key: 'trend', header: 'Trend a week', render: (i) => signed(i.model.slopePerDay * 7) },
                  { key: 'next', header: 'Next 7 days', render: (i) => i.next.map((d) => `${d.weekday.slice(0, 3)} ${round(d.quantity)}`).join(' · ') },
                ]}
              />
            </>
          )
        }
      </QueryStatus>
    </div>
  );
}
