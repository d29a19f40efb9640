/** Dashboard building blocks shared by the analytics pages: a labelled figure (KPI tile) and a titled chart frame. */
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';
import './figures.css';

export { Figure } from './Figure';

export function Chart({ title, children, actions }: { title: string; children: ReactElement; actions?: ReactElement }) {
  return (
    <figure className="sc-chart" aria-label={title}>
      <figcaption className="pg-h3 sc-chart-head">
        <span>{title}</span>
        {actions}
      </figcaption>
      <ResponsiveContainer width="100%" height={220}>
        {children}
      </ResponsiveContainer>
    </figure>
  );
}
