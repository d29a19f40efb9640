/** The campaign list: status and name filters (the API filters), newest first, a page at a time. */
import { useState } from 'react';
import { api } from '../../api/client';
import { Link, navigate } from '../../app/router';
import { Button, Field, Input, Select, Table } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { StatusBadge } from './StatusBadge';
import { CHANNEL_LABELS, STATUS_LABELS, type Campaign, type CampaignStatus, type Page } from './types';

const FILTERS: { value: string; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'draft,changes_requested', label: 'Drafts' },
  { value: 'awaiting_approval', label: STATUS_LABELS.awaiting_approval },
  { value: 'scheduled', label: STATUS_LABELS.scheduled },
  { value: 'sending,paused', label: 'Sending or paused' },
  { value: 'completed', label: STATUS_LABELS.completed },
  { value: 'cancelled,failed', label: 'Cancelled or failed' },
];

export function CampaignList() {
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [more, setMore] = useState<{ items: Campaign[]; cursor: string | null }>({ items: [], cursor: null });
  const list = useQuery(async () => {
    const page = await api.get<Page<Campaign>>(`/v1/campaigns?${params(status, q)}`);
    setMore({ items: [], cursor: page.nextCursor });
    return page.items;
  }, [status, q]);

  const loadMore = async () => {
    if (!more.cursor) return;
    const page = await api.get<Page<Campaign>>(`/v1/campaigns?${params(status, q, more.cursor)}`);
    setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor }));
  };

  return (
    <div className="pg-col">
      <form className="pg-filters" aria-label="Campaign filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          <Select value={status} onChange={(e) => setStatus(e.target.value)} options={FILTERS} />
        </Field>
        <Field label="Search">
          <Input type="search" value={q} placeholder="Name" onChange={(e) => setQ(e.target.value)} />
        </Field>
      </form>
      <QueryStatus query={list} loadingLabel="Loading campaigns">
        {(rows = []) => (
          <>
            <Table
              caption="Campaigns"
              rows={[...rows, ...more.items]}
              rowKey={(c) => c.id}
              onRowClick={(c) => navigate(`/campaigns/${c.id}`)}
              empty="No campaigns yet. Start one with New campaign."
              columns={[
                { key: 'name', header: 'Name', render: (c) => <Link to={`/campaigns/${c.id}`}>{c.name}</Link> },
                { key: 'status', header: 'Status', render: (c) => <StatusBadge status={c.status as CampaignStatus} /> },
                { key: 'channels', header: 'Channels', render: (c) => c.channels.map((ch) => CHANNEL_LABELS[ch]).join(' → ') },
                { key: 'send', header: 'Sends', render: (c) => sendLabel(c) },
                { key: 'created', header: 'Created', render: (c) => formatDateTime(c.createdAt) },
              ]}
            />
            {more.cursor && (
              <div className="pg-row-end">
                <Button onClick={() => void loadMore()}>Load more</Button>
              </div>
            )}
          </>
        )}
      </QueryStatus>
    </div>
  );
}

function params(status: string, q: string, cursor?: string) {
  const p = new URLSearchParams({ limit: '50' });
  if (status) p.set('status', status);
  if (q.trim()) p.set('q', q.trim());
  if (cursor) p.set('cursor', cursor);
  return p;
}

/** When it goes out: its time, or "on approval", or when it started. */
export function sendLabel(c: Pick<Campaign, 'sendAt' | 'startedAt' | 'status'>): string {
  if (c.startedAt) return formatDateTime(c.startedAt);
  if (c.sendAt) return formatDateTime(c.sendAt);
  return c.status === 'cancelled' || c.status === 'failed' ? '—' : 'On approval';
}
