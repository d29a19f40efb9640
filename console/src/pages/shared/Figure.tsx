/** A labelled figure (KPI tile) of a dashboard; apart from the charts so pages without one load no chart library. */
import './figures.css';

export function Figure({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <div className="sc-figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
      {hint && <dd className="sc-figure-hint">{hint}</dd>}
    </div>
  );
}
