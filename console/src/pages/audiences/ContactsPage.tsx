/**
 * Contacts: search by name, email or phone, filter by tag or segment, consent per channel at a
 * glance; add, edit and delete a contact, and import a CSV (marketers, approvers and admins).
 */
import { useState } from 'react';
import { CAMPAIGN_CHANNELS } from '../../../../core/campaigns/channels';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { navigate, useLocation } from '../../app/router';
import { Badge, Button, Field, Input, Panel, Select, Table } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { ContactDialog } from './ContactDialog';
import { ImportDialog } from './ImportDialog';
import { CHANNEL_LABELS, type ContactDto, type ContactPage, type SegmentDto } from './types';
import '../pages.css';
import './audiences.css';

const CONSENT_TONE = { opted_in: 'success', opted_out: 'danger' } as const;

export function ConsentBadges({ contact }: { contact: ContactDto }) {
  return (
    <span className="aud-consent">
      {CAMPAIGN_CHANNELS.map((channel) => {
        const c = contact.consent[channel];
        if (!c) return null;
        return (
          <Badge key={channel} tone={CONSENT_TONE[c.status]} title={`${c.status.replace('_', ' ')} via ${c.method}${c.source ? ` (${c.source})` : ''}`}>
            {CHANNEL_LABELS[channel]} {c.status === 'opted_in' ? '✓' : '✕'}
          </Badge>
        );
      })}
    </span>
  );
}

const displayName = (c: ContactDto) => c.name || [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || 'Unnamed contact';

export function ContactsPage() {
  const { user } = useAuth();
  const writer = can.market(user?.role);
  const { query } = useLocation();
  const segmentId = query.get('segmentId') ?? '';
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const [applied, setApplied] = useState({ q: '', tag: '' });
  const [more, setMore] = useState<ContactDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [editing, setEditing] = useState<ContactDto | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const segments = useQuery(async () => (await api.get<{ items: SegmentDto[] }>('/v1/segments')).items, []);
  const params = new URLSearchParams({ limit: '50', ...(applied.q ? { q: applied.q } : {}), ...(applied.tag ? { tag: applied.tag } : {}), ...(segmentId ? { segmentId } : {}) });
  const contacts = useQuery(async () => {
    const page = await api.get<ContactPage>(`/v1/contacts?${params}`);
    setMore([]);
    setCursor(page.nextCursor);
    return page.items;
  }, [params.toString()]);

  const loadMore = async () => {
    if (!cursor) return;
    const page = await api.get<ContactPage>(`/v1/contacts?${params}&cursor=${encodeURIComponent(cursor)}`);
    setMore((prev) => [...prev, ...page.items]);
    setCursor(page.nextCursor);
  };
  const reload = () => void contacts.reload();

  return (
    <div className="page">
      <div className="page-head">
        <h1>Contacts</h1>
        {writer && (
          <div className="pg-row">
            <Button onClick={() => setImporting(true)}>Import CSV</Button>
            <Button variant="primary" onClick={() => setEditing('new')}>
              Add contact
            </Button>
          </div>
        )}
      </div>
      <Panel title="Contacts">
        <form
          className="pg-filters"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({ q: q.trim(), tag: tag.trim() });
          }}
        >
          <Field label="Search">
            <Input value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name, email or phone" type="search" />
          </Field>
          <Field label="Tag">
            <Input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="vip" />
          </Field>
          <Field label="Segment">
            <Select value={segmentId} onChange={(e) => navigate(e.target.value ? `/contacts?segmentId=${e.target.value}` : '/contacts')}>
              <option value="">All contacts</option>
              {segments.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit">Apply</Button>
        </form>
        <QueryStatus query={contacts} loadingLabel="Loading contacts">
          {(rows = []) => (
            <>
              <Table
                caption="Contacts"
                rows={[...rows, ...more]}
                rowKey={(c) => c.id}
                empty="No contacts match. Add one, or import a CSV."
                onRowClick={(c) => setEditing(c)}
                columns={[
                  { key: 'name', header: 'Name', render: (c) => <span className="aud-name">{displayName(c)}</span> },
                  { key: 'email', header: 'Email', render: (c) => c.email ?? '—' },
                  { key: 'phone', header: 'Phone', render: (c) => <span className="pg-mono">{c.phone ?? '—'}</span> },
                  { key: 'tags', header: 'Tags', render: (c) => <span className="aud-tags">{c.tags.map((t) => <Badge key={t}>{t}</Badge>)}</span> },
                  { key: 'consent', header: 'Consent', render: (c) => <ConsentBadges contact={c} /> },
                  { key: 'lastSeen', header: 'Last seen', render: (c) => (c.lastSeenAt ? formatDateTime(c.lastSeenAt) : 'never') },
                ]}
              />
              {cursor && (
                <div className="pg-row pg-row-end">
                  <Button variant="ghost" onClick={() => void loadMore()}>
                    Load more
                  </Button>
                </div>
              )}
            </>
          )}
        </QueryStatus>
      </Panel>
      <ContactDialog contact={editing} readOnly={!writer} onClose={() => setEditing(null)} onSaved={() => (setEditing(null), reload())} />
      <ImportDialog open={importing} onClose={() => setImporting(false)} onImported={reload} />
    </div>
  );
}
