/** Labelled conversations per intent and per sentiment over a date range (`/v1/analytics/labels`), with its CSV. */
import { useState } from 'react';
import { api } from '../../api/client';
import { Field, Input, Panel, Table } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { addDays, todayIn } from '../scheduling/types';
import type { LabelCounts } from './types';

export function LabelCountsPanel() {
  const today = todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [range, setRange] = useState({ from: addDays(today, -29), to: today });
  const query = new URLSearchParams(range).toString();
  const counts = useQuery(() => api.get<LabelCounts>(`/v1/analytics/labels?${query}`), [query]);
  return (
    <Panel
      title="Conversations by label"
      actions={
        <a className="btn btn-secondary btn-sm pg-link-button" href={`/v1/analytics/labels.csv?${query}`} download aria-label="Download the label counts as CSV">
          CSV
        </a>
      }
    >
      <div className="pg-filters" role="group" aria-label="Date range">
        <Field label="From">
          <Input type="date" value={range.from} max={range.to} onChange={(e) => e.target.value && setRange((r) => ({ ...r, from: e.target.value }))} />
        </Field>
        <Field label="To">
          <Input type="date" value={range.to} min={range.from} onChange={(e) => e.target.value && setRange((r) => ({ ...r, to: e.target.value }))} />
        </Field>
      </div>
      <QueryStatus query={counts} loadingLabel="Loading label counts">
        {(c) =>
          c && (
            <div className="pg-split">
              <Table
                caption="Conversations per intent"
                rows={c.intents}
                rowKey={(r) => r.intent}
                empty="No labelled conversations in this range."
                columns={[
                  { key: 'intent', header: 'Intent', render: (r) => r.intent },
                  { key: 'n', header: 'Conversations', render: (r) => r.conversations },
                ]}
              />
              <Table
                caption="Conversations per sentiment"
                rows={c.sentiments}
                rowKey={(r) => r.sentiment}
                columns={[
                  { key: 'sentiment', header: 'Sentiment', render: (r) => r.sentiment },
                  { key: 'n', header: 'Conversations', render: (r) => r.conversations },
                ]}
              />
            </div>
          )
        }
      </QueryStatus>
    </Panel>
  );
}
