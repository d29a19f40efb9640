/**
 * The audit log (admins): who did what to which resource and what changed, newest first, with
 * filters (actor, action, dates), more on demand, and the filtered entries as a CSV download.
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { AuditEntryDto, auditList } from '../../../../core/api/audit';
import { api } from '../../api/client';
import { Button, Dialog, Field, Input, Table, actionsColumn } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';

type Page = z.infer<typeof auditList>;

const shown = (v: unknown) => (v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));

/** A line per changed field: `name: Orders → Orders v2`. */
const changeLine = (c: AuditEntryDto['changes'][number]) => `${c.path || '(value)'}: ${shown(c.before)} → ${shown(c.after)}`;

/** Date inputs are days: `from` is the start of its day, `to` the end of its day, local time. */
function filterQuery(f: { actor: string; action: string; from: string; to: string }): string {
  const q = new URLSearchParams();
  if (f.actor.trim()) q.set('actor', f.actor.trim());
  if (f.action.trim()) q.set('action', f.action.trim());
  if (f.from) q.set('from', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) q.set('to', new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_400_000).toISOString());
  return q.toString();
}

export function AuditLogSection() {
  const [form, setForm] = useState({ actor: '', action: '', from: '', to: '' });
  const [applied, setApplied] = useState(form);
  const [more, setMore] = useState<Page['items']>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<AuditEntryDto | null>(null);
  const query = filterQuery(applied);
  const first = useQuery(async () => {
    const page = await api.get<Page>(`/v1/audit-log?limit=50${query ? `&${query}` : ''}`);
    setMore([]);
    setCursor(page.nextCursor);
    return page.items;
  }, [query]);

  const loadMore = async () => {
    if (!cursor) return;
    const page = await api.get<Page>(`/v1/audit-log?limit=50&cursor=${encodeURIComponent(cursor)}${query ? `&${query}` : ''}`);
    setMore((m) => [...m, ...page.items]);
    setCursor(page.nextCursor);
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="pg-col">
      <p className="pg-muted">Every change made in this workspace, by a person or an API key. Entries cannot be edited or deleted.</p>
      <form
        className="pg-row"
        aria-label="Audit log filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(form);
        }}
      >
        <Field label="Actor">
          <Input value={form.actor} onChange={set('actor')} placeholder="email or api-key:name" />
        </Field>
        <Field label="Action">
          <Input value={form.action} onChange={set('action')} placeholder="flow.publish" />
        </Field>
        <Field label="From">
          <Input type="date" value={form.from} onChange={set('from')} />
        </Field>
        <Field label="To">
          <Input type="date" value={form.to} onChange={set('to')} />
        </Field>
        <Button type="submit">Filter</Button>
        <a className="btn btn-secondary btn-md pg-link-button" href={`/v1/audit-log/export${query ? `?${query}` : ''}`} download>
          Export CSV
        </a>
      </form>
      <QueryStatus query={first} loadingLabel="Loading the audit log">
        {(rows = []) => (
          <div className="pg-col">
            <Table
              caption="Audit log"
              rows={[...rows, ...more]}
              rowKey={(e) => e.id}
              empty="Nothing recorded for these filters."
              columns={[
                { key: 'createdAt', header: 'Time', render: (e) => formatDateTime(e.createdAt) },
                { key: 'actor', header: 'Who', render: (e) => `${e.actorLabel} (${e.scope ? `key, ${e.scope}` : e.role})` },
                { key: 'action', header: 'Action', render: (e) => <span className="pg-mono">{e.action}</span> },
                { key: 'target', header: 'Target', render: (e) => <span className="pg-mono">{e.targetId ?? '—'}</span> },
                { key: 'changes', header: 'Changes', render: (e) => (e.changes.length === 0 ? '—' : `${e.changes.slice(0, 2).map(changeLine).join('; ')}${e.changes.length > 2 ? ` (+${e.changes.length - 2})` : ''}`) },
                { key: 'ip', header: 'IP', render: (e) => <span className="pg-mono">{e.ip}</span> },
                actionsColumn((e: AuditEntryDto) => (
                  <Button size="sm" variant="ghost" onClick={() => setOpen(e)} aria-label={`Details of ${e.action} at ${formatDateTime(e.createdAt)}`}>
                    Details
                  </Button>
                )),
              ]}
            />
            {cursor && (
              <div className="pg-row">
                <Button onClick={() => void loadMore()}>Load more</Button>
              </div>
            )}
          </div>
        )}
      </QueryStatus>
      <Dialog title={open ? `${open.action} — ${formatDateTime(open.createdAt)}` : ''} open={open !== null} onClose={() => setOpen(null)}>
        {open && (
          <div className="pg-col">
            <p>
              <span className="pg-mono">{open.method} {open.path}</span> → {open.statusCode}, from {open.ip}
              {open.userAgent ? ` (${open.userAgent})` : ''}
            </p>
            {open.changes.length === 0 ? <p className="pg-muted">No fields recorded.</p> : (
              <ul aria-label="Changed fields">
                {open.changes.map((c) => (
                  <li key={c.path} className="pg-mono">
                    {changeLine(c)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </Dialog>
    </div>
  );
}
