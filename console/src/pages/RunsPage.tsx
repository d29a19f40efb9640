/**
 * Runs (ops): every conversation, automation run and document ingestion of the workspace, from
 * Temporal visibility, filtered by flow, status, type, channel and start time.
 */
import { useState } from 'react';
import { ApiError, api } from '../api/client';
import { Link, navigate } from '../app/router';
import { flowApi } from '../builder/flowApi';
import { Badge, Button, Panel, Spinner, Table } from '../ui';
import { errorMessage } from './shared/errors';
import { formatDateTime, formatDuration } from './shared/format';
import { useToastAction } from './shared/useAsyncAction';
import { useQuery } from './shared/useQuery';
import { NO_FILTERS, RunFilters, runsQuery, type RunFilterValues } from './runs/RunFilters';
import { runPath, runStatusTone, runTypeLabel, type RunList, type RunSummary } from './runs/types';
import './pages.css';

const duration = (r: RunSummary) => (r.closeTime ? new Date(r.closeTime).getTime() - new Date(r.startTime).getTime() : null);

export function RunsPage() {
  const [filters, setFilters] = useState<RunFilterValues>(NO_FILTERS);
  const more = useToastAction();
  const loadingMore = more.busy;
  const flows = useQuery(() => flowApi.list(), []);
  const runs = useQuery(() => api.get<RunList>(`/v1/runs?${runsQuery(filters)}`), [JSON.stringify(filters)]);
  const flowName = (id: string | null) => (id ? (flows.data?.find((f) => f.id === id)?.name ?? id.slice(0, 8)) : '—');

  const fieldError = runs.error instanceof ApiError && runs.error.field ? { [runs.error.field]: runs.error.message } : {};
  const listError = runs.error && !(runs.error instanceof ApiError && runs.error.field && runs.error.field in filters) ? errorMessage(runs.error) : null;

  const loadMore = async () => {
    const cursor = runs.data?.nextCursor;
    if (!cursor) return;
    await more.run('more', async () => {
      const next = await api.get<RunList>(`/v1/runs?${runsQuery(filters, cursor)}`);
      runs.setData((prev) => ({ runs: [...(prev?.runs ?? []), ...next.runs], nextCursor: next.nextCursor }));
    });
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Runs</h1>
        <div className="page-head-actions">
          <Button onClick={() => void runs.reload()}>Refresh</Button>
        </div>
      </div>
      <RunFilters value={filters} onChange={setFilters} flows={flows.data ?? []} errors={fieldError} />
      <Panel title="Runs" actions={runs.loading ? <Spinner label="Loading runs" /> : undefined}>
        {listError && (
          <p className="pg-error-text" role="alert">
            {listError}
          </p>
        )}
        {!runs.data && runs.loading ? (
          <div className="pg-center">
            <Spinner label="Loading runs" />
          </div>
        ) : (
          <Table
            caption="Runs"
            rows={runs.data?.runs ?? []}
            rowKey={(r) => `${r.workflowId}/${r.runId}`}
            empty="No runs match these filters."
            onRowClick={(r) => navigate(runPath(r.workflowId))}
            columns={[
              {
                key: 'workflowId',
                header: 'Run',
                render: (r) => (
                  <Link to={runPath(r.workflowId)} className="pg-mono" onClick={(e) => e.stopPropagation()}>
                    {r.workflowId}
                  </Link>
                ),
              },
              { key: 'type', header: 'Type', render: (r) => runTypeLabel(r.type) },
              {
                key: 'status',
                header: 'Status',
                render: (r) => (
                  <div className="pg-row">
                    <Badge tone={runStatusTone(r.status)}>{r.status.replace('_', ' ')}</Badge>
                    {r.stage && <span className="pg-muted">{r.stage}</span>}
                  </div>
                ),
              },
              { key: 'flow', header: 'Flow', render: (r) => `${flowName(r.flowId)}${r.flowVersion !== null ? ` v${r.flowVersion}` : ''}` },
              { key: 'channel', header: 'Channel', render: (r) => r.channel ?? '—' },
              { key: 'startTime', header: 'Started', render: (r) => formatDateTime(r.startTime) },
              { key: 'duration', header: 'Duration', render: (r) => (r.closeTime ? formatDuration(duration(r)) : 'running') },
            ]}
          />
        )}
        {runs.data?.nextCursor && (
          <div className="pg-row pg-row-end">
            <Button onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          </div>
        )}
      </Panel>
    </div>
  );
}
