/**
 * The menu engineering matrix of a period: per category a scatter chart (menu mix share against
 * unit margin) with the two quadrant lines — 70 % of fair share and the weighted average margin —
 * each item's class, the recommendations with their arithmetic, and how classes moved since the
 * previous period of the same length.
 */
import { useState } from 'react';
import { CartesianGrid, Label, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import { api } from '../../api/client';
import { Badge, Table } from '../../ui';
import { Chart } from '../shared/Figures';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { PeriodPicker, type Period } from './PeriodPicker';
import { CLASS_COLOURS, CLASS_TONES, formatCents, MENU_CLASS_LABELS, percent, periodQuery, type MenuClass, type MenuMatrixDto, type Recommendations, type TrendsDto } from './types';

const CLASSES: MenuClass[] = ['star', 'plowhorse', 'puzzle', 'dog'];

function CategoryChart({ category, currency }: { category: MenuMatrixDto['categories'][number]; currency: string }) {
  const points = category.items.map((i) => ({ name: i.name, share: Math.round(i.mixShare * 1000) / 10, cm: i.unitCmCents / 100, class: i.class }));
  return (
    <Chart title={`${category.category}: popularity × margin`}>
      <ScatterChart margin={{ top: 10, right: 24, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="share" name="Menu mix" unit="%">
          <Label value="menu mix (share of units)" position="bottom" offset={4} />
        </XAxis>
        <YAxis type="number" dataKey="cm" name="Margin" tickFormatter={(v: number) => formatCents(Math.round(v * 100), currency)} width={72} />
        <ZAxis range={[120, 120]} />
        <Tooltip formatter={(value, name) => (name === 'Margin' ? formatCents(Math.round(Number(value) * 100), currency) : `${value}%`)} labelFormatter={() => ''} />
        <ReferenceLine x={Math.round(category.popularityThreshold * 1000) / 10} stroke="#6b7280" strokeDasharray="4 4" label={{ value: '70 % of fair share', position: 'insideTopRight', fontSize: 11 }} />
        <ReferenceLine y={category.averageCmCents / 100} stroke="#6b7280" strokeDasharray="4 4" label={{ value: 'average margin', position: 'insideTopRight', fontSize: 11 }} />
        {CLASSES.map((c) => (
          <Scatter key={c} name={MENU_CLASS_LABELS[c]} data={points.filter((p) => p.class === c)} fill={CLASS_COLOURS[c]} isAnimationActive={false} />
        ))}
      </ScatterChart>
    </Chart>
  );
}

export function MatrixSection() {
  const [period, setPeriod] = useState<Period>({ from: '', to: '' });
  const q = periodQuery(period);
  const matrix = useQuery(() => api.get<MenuMatrixDto>(`/v1/menu/matrix?${q}`), [q]);
  const recs = useQuery(() => api.get<Recommendations>(`/v1/menu/recommendations?${q}`), [q]);
  const trends = useQuery(() => api.get<TrendsDto>(`/v1/menu/trends?${q}`), [q]);
  const currency = matrix.data?.currency ?? 'USD';
  return (
    <div>
      <PeriodPicker value={period} onChange={setPeriod} shown={matrix.data} />
      <QueryStatus query={matrix} loadingLabel="Loading the matrix">
        {(m) =>
          m && (
            <>
              <div className="menu-legend" aria-hidden="true">
                {CLASSES.map((c) => (
                  <span key={c} style={{ ['--dot' as string]: CLASS_COLOURS[c] }}>
                    {MENU_CLASS_LABELS[c]}
                  </span>
                ))}
              </div>
              {m.categories.length === 0 && <p>No items with a food cost and a price in this period yet.</p>}
              {m.categories.map((c) => (
                <section key={c.category} aria-label={`Category ${c.category}`}>
                  <CategoryChart category={c} currency={currency} />
                  <p>
                    {c.itemCount} items, {c.totalSold} sold · popular from {percent(c.popularityThreshold)} of units (70 % × 1/{c.itemCount}) · average margin {formatCents(Math.round(c.averageCmCents), currency)}
                  </p>
                  <Table
                    caption={`${c.category} matrix`}
                    rows={c.items}
                    rowKey={(i) => i.itemId}
                    columns={[
                      { key: 'name', header: 'Item' },
                      { key: 'class', header: 'Class', render: (i) => <Badge tone={CLASS_TONES[i.class]}>{MENU_CLASS_LABELS[i.class]}</Badge> },
                      { key: 'sold', header: 'Sold' },
                      { key: 'mix', header: 'Menu mix', render: (i) => percent(i.mixShare) },
                      { key: 'cm', header: 'Unit margin', render: (i) => formatCents(i.unitCmCents, currency) },
                      { key: 'total', header: 'Total margin', render: (i) => formatCents(i.totalCmCents, currency) },
                    ]}
                  />
                </section>
              ))}
              {m.excluded.length > 0 && <p role="note">Not placed: {m.excluded.map((e) => `${e.name} (${e.reason})`).join('; ')}.</p>}
            </>
          )
        }
      </QueryStatus>
      <h3 className="pg-h3">Recommendations</h3>
      <QueryStatus query={recs} loadingLabel="Loading recommendations">
        {(r) => (
          <ul className="pg-list" aria-label="Recommendations">
            {r?.items.map((rec) => (
              <li key={rec.itemId} className="menu-card">
                <strong>{rec.action}</strong> · {rec.summary}
                <ul className="menu-arithmetic">
                  {rec.arithmetic.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </QueryStatus>
      <h3 className="pg-h3">Trends {trends.data && `(against ${trends.data.before.from} – ${trends.data.before.to})`}</h3>
      <QueryStatus query={trends} loadingLabel="Loading trends">
        {(t) => (
          <Table
            caption="Trends"
            rows={t?.items ?? []}
            rowKey={(i) => i.itemId}
            empty="Nothing sold in either period."
            columns={[
              { key: 'name', header: 'Item' },
              { key: 'before', header: 'Before', render: (i) => (i.before ? MENU_CLASS_LABELS[i.before] : '—') },
              { key: 'after', header: 'Now', render: (i) => (i.after ? MENU_CLASS_LABELS[i.after] : '—') },
              { key: 'sold', header: 'Sold', render: (i) => `${i.soldBefore} → ${i.soldAfter}` },
              { key: 'change', header: 'Change', render: (i) => percent(i.soldChange, 0) },
            ]}
          />
        )}
      </QueryStatus>
    </div>
  );
}
