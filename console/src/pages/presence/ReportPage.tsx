/**
 * One audit: its modules' progress live while it runs (polled every second), then the report —
 * grade dial, category bars, ranked recommendations, every check with its evidence — what
 * changed since the previous audit of the site, the PDF, and read-only share links (made and
 * revoked here).
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { shareLinkSchema, ReportChanges } from '../../../../core/presence-surface';
import { ApiError, api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Link } from '../../app/router';
import { Badge, Button, Panel, Spinner, useToast } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useToastAction } from '../shared/useAsyncAction';
import { usePolling, useQuery } from '../shared/useQuery';
import { Changes, CategoryBars, Checks, GradeDial, Recommendations, type Audit } from './ReportParts';
import '../pages.css';
import './presence.css';

type ShareLink = z.infer<typeof shareLinkSchema>;

function Progress({ audit }: { audit: Audit }) {
  const p = audit.progress;
  return (
    <Panel title="Auditing…">
      <p aria-live="polite">
        {p ? `${p.done} of ${p.total} check groups done` : 'Queued'} <Spinner label="Audit running" />
      </p>
      <progress className="pg-progress" max={Math.max(1, p?.total ?? 1)} value={p?.done ?? 0} aria-label="Audit progress" />
      <ul className="pr-modules" aria-label="Check groups">
        {(p?.modules ?? []).map((m) => (
          <li key={m.id}>
            <span>{m.id}</span>
            <Badge tone={m.status === 'done' ? 'success' : m.status === 'failed' ? 'danger' : m.status === 'running' ? 'info' : 'neutral'}>{m.status}</Badge>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

function Sharing({ auditId }: { auditId: string }) {
  const toast = useToast();
  const action = useToastAction();
  const links = useQuery(async () => (await api.get<{ items: ShareLink[] }>(`/v1/presence/audits/${auditId}/share-links`)).items, [auditId]);
  const create = () =>
    action.run('create', async () => {
      const link = await api.post<ShareLink>(`/v1/presence/audits/${auditId}/share-links`);
      await links.reload();
      await navigator.clipboard?.writeText(link.url).catch(() => undefined);
      toast.success('Share link made');
    });
  const revoke = (l: ShareLink) =>
    action.run(l.id, async () => {
      await api.del(`/v1/presence/share-links/${l.id}`);
      await links.reload();
      toast.success('Link revoked: it opens nothing now');
    });
  return (
    <div className="pr-share">
      <div className="pg-row">
        <Button onClick={create} disabled={action.busy}>
          Make a share link
        </Button>
        <span className="pg-muted">Anyone with the link sees this report, read-only, without signing in, until you revoke it.</span>
      </div>
      <QueryStatus query={links} loadingLabel="Loading share links">
        {(items = []) => (
          <ul className="pg-list" aria-label="Share links">
            {items.map((l) => (
              <li key={l.id} className="pg-row pg-row-between">
                <a className="pg-mono pg-grow" href={l.url} target="_blank" rel="noreferrer">
                  {l.url}
                </a>
                {l.revokedAt ? (
                  <Badge>revoked {formatDateTime(l.revokedAt)}</Badge>
                ) : (
                  <Button size="sm" variant="danger" onClick={() => revoke(l)} disabled={action.busy} aria-label={`Revoke link made ${formatDateTime(l.createdAt)}`}>
                    Revoke
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryStatus>
    </div>
  );
}

export function ReportPage({ auditId }: { auditId: string }) {
  const { user } = useAuth();
  const audit = useQuery(() => api.get<Audit>(`/v1/presence/audits/${auditId}`), [auditId]);
  const running = audit.data?.status === 'running';
  usePolling(() => audit.reload(), 1000, running);
  const changes = useQuery(
    async () => {
      try {
        return await api.get<ReportChanges & { from: { id: string; createdAt: string } }>(`/v1/presence/audits/${auditId}/changes`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    [auditId],
    { enabled: audit.data?.status === 'completed' },
  );
  const [tab, setTab] = useState<'recommendations' | 'checks'>('recommendations');
  const a = audit.data;
  const report = a?.report;

  return (
    <div className="page">
      <div className="page-head">
        <h1>Presence report</h1>
        <Link to="/presence">All audits</Link>
      </div>
      <QueryStatus query={audit} loadingLabel="Loading the audit">
        {() =>
          !a ? null : (
            <>
              <p className="pg-muted">
                {a.url} · started {formatDateTime(a.createdAt)}
                {a.completedAt ? ` · finished ${formatDateTime(a.completedAt)}` : ''}
              </p>
              {running && <Progress audit={a} />}
              {a.status === 'failed' && (
                <p className="pg-error-text" role="alert">
                  The audit failed: {a.error}
                </p>
              )}
              {report && (
                <>
                  <Panel title="Grade">
                    <div className="pr-top">
                      <GradeDial score={report.overall} grade={report.grade} />
                      <CategoryBars report={report} />
                    </div>
                    <div className="pg-row">
                      <a className="btn btn-secondary btn-sm pg-link-button" href={`/v1/presence/audits/${a.id}/pdf`} download>
                        Download PDF
                      </a>
                      <span className="pg-muted">Sources: {report.sources.join(', ')}</span>
                    </div>
                    {report.notes.length > 0 && (
                      <ul aria-label="Not measured" className="pg-muted">
                        {report.notes.map((n) => (
                          <li key={n}>{n}</li>
                        ))}
                      </ul>
                    )}
                  </Panel>
                  <Panel title="What changed">{changes.data ? <Changes changes={changes.data} /> : <p className="pg-muted">{changes.loading ? 'Comparing…' : 'This is the first audit of this website.'}</p>}</Panel>
                  <Panel
                    title={tab === 'recommendations' ? 'What to do first' : 'Every check'}
                    actions={
                      <Button size="sm" variant="ghost" onClick={() => setTab(tab === 'recommendations' ? 'checks' : 'recommendations')}>
                        {tab === 'recommendations' ? 'Show every check' : 'Show recommendations'}
                      </Button>
                    }
                  >
                    {tab === 'recommendations' ? <Recommendations report={report} /> : <Checks report={report} />}
                  </Panel>
                  {can.market(user?.role) && (
                    <Panel title="Share">
                      <Sharing auditId={a.id} />
                    </Panel>
                  )}
                </>
              )}
            </>
          )
        }
      </QueryStatus>
    </div>
  );
}

