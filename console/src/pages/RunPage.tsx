/**
 * One run: the flow graph it executed with the path lit up in order, each node's timing, input,
 * output and error beside it, refreshed while the run is running; actions for builders/admins.
 * A run that keeps durable timers (an appointment) lists them with what fired.
 */
import { useState } from 'react';
import { can, useAuth } from '../app/auth';
import { Link } from '../app/router';
import { FlowCanvas } from '../graph/FlowCanvas';
import { Badge, EmptyState, Panel, Spinner } from '../ui';
import { errorMessage } from './shared/errors';
import { formatDateTime, formatDuration, formatJson } from './shared/format';
import { ExecutedPath, NodeDetail } from './runs/NodeDetails';
import { RunActions } from './runs/RunActions';
import { TimersPanel } from './runs/TimersPanel';
import { CallMetricsPanel } from './runs/CallMetricsPanel';
import { runStatusTone, runTypeLabel } from './runs/types';
import { useRun } from './runs/useRun';
import './pages.css';

export function RunPage({ runId }: { runId: string }) {
  const { user } = useAuth();
  const { detail, history, graph, drawable, path, highlight, taken, running, traceUnread, retryingTrace, refresh } = useRun(runId);
  const [selected, setSelected] = useState<string | null>(null);
  const run = detail.data;
  const status = run?.status ?? history.data?.status;
  const type = history.data?.type ?? '';
  const duration = run ? (run.closeTime ? new Date(run.closeTime).getTime() : Date.now()) - new Date(run.startTime).getTime() : null;
  const workflowId = run?.workflowId ?? history.data?.workflowId ?? runId;

  if (detail.error && !run && history.error && !history.data) {
    return (
      <div className="page">
        <EmptyState title="Run not available" action={<Link to="/runs">Back to runs</Link>}>
          {errorMessage(history.error)}
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="page">
      <div className="page-head">
        <div className="pg-col">
          <Link to="/runs">← Runs</Link>
          <h1 className="pg-mono">{workflowId}</h1>
          <div className="pg-row pg-muted pg-status-line">
            {status && (
              <Badge tone={runStatusTone(status)}>
                <span data-run-status={status}>{status.replace('_', ' ')}</span>
              </Badge>
            )}
            {type && <span>{runTypeLabel(type)}</span>}
            {type === 'videoRender' && <Link to={`/videos/${workflowId.split(':')[2]}`}>the video</Link>}
            {graph.data?.flowId && (
              <Link to={`/flows/${graph.data.flowId}`}>
                flow{graph.data.version !== null ? ` v${graph.data.version}` : ''}
              </Link>
            )}
            {run && <span>started {formatDateTime(run.startTime)}</span>}
            {run && <span>· {running ? 'running for' : 'took'} {formatDuration(duration)}</span>}
            {history.data && <span>· {history.data.eventCount} events</span>}
            {running && <Spinner label="Refreshing" />}
          </div>
        </div>
        <div className="page-head-actions">
          <a className="btn btn-secondary btn-md pg-link-button" href={`/v1/runs/${encodeURIComponent(runId)}/history/raw`} download>
            Download history JSON
          </a>
          {can.build(user?.role) && (run || history.data) && (
            <RunActions
              runId={workflowId}
              type={type}
              running={running}
              path={path}
              // The page follows the workflow id, so a reset's new run shows on the next read.
              onDone={() => void refresh()}
            />
          )}
        </div>
      </div>

      {run?.error && (
        <p className="pg-error-text" role="alert">
          {run.error}
        </p>
      )}

      <div className="pg-split pg-split-right">
        <Panel title="Flow" label="Executed flow">
          <div className="rn-canvas">
            {drawable ? (
              <FlowCanvas graph={drawable} highlight={highlight} taken={taken} onNodeClick={setSelected} minimap={false} />
            ) : graph.loading ? (
              <div className="pg-center">
                <Spinner label="Loading the graph" />
              </div>
            ) : (
              <EmptyState title="No graph">{graph.error ? errorMessage(graph.error) : 'This run does not execute a flow graph.'}</EmptyState>
            )}
          </div>
        </Panel>
        <Panel title={selected ? 'Node' : 'Executed path'}>
          {history.error != null && (
            <p className="pg-error-text" role="alert">
              {history.data ? `Could not refresh the history (showing the last one read): ${errorMessage(history.error)}` : errorMessage(history.error)}
            </p>
          )}
          {traceUnread && (
            <p className="pg-muted" role="status">
              {retryingTrace
                ? 'The worker has not yet answered for the path this run took (nodes that ran no activity may be missing): asking again…'
                : 'The worker did not answer for the path this run took (nodes that ran no activity may be missing). Reload the page to ask again.'}
            </p>
          )}
          {!history.data && history.loading ? (
            <div className="pg-center">
              <Spinner label="Loading the history" />
            </div>
          ) : selected ? (
            <NodeDetail node={history.data?.nodes.find((n) => n.nodeId === selected)} onClose={() => setSelected(null)} />
          ) : (
            <ExecutedPath path={path} highlight={highlight} selected={selected} onSelect={setSelected} />
          )}
        </Panel>
      </div>

      <TimersPanel state={run?.state} />

      <CallMetricsPanel history={history.data} type={type} closeTime={run?.closeTime ?? null} running={running} />

      {run && run.output !== undefined && run.output !== null && (
        <Panel title="Output">
          <pre className="pg-pre">{formatJson(run.output)}</pre>
        </Panel>
      )}
    </div>
  );
}
