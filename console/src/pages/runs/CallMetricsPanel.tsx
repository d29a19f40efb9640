/**
 * Call metrics of a phone call's run (`ivrCall`): time the caller spent in each node, how often a
 * node prompted again (no match, no input) and activity retries, from the run's history
 * (runs/call-metrics.ts). Renders nothing for other runs.
 */
import { Panel, Table } from '../../ui';
import { formatDuration } from '../shared/format';
import { callMetrics, lastStepAt } from './call-metrics';
import type { RunHistory } from './types';

export function CallMetricsPanel({ history, type, closeTime, running }: { history: RunHistory | undefined; type: string; closeTime: string | null; running: boolean }) {
  if (type !== 'ivrCall' || !history) return null;
  // A call still in progress counts to now; a finished one to its close (or its last step's end).
  const endAt = closeTime ? Date.parse(closeTime) : running ? Date.now() : lastStepAt(history.nodes);
  const metrics = callMetrics(history, endAt);
  return (
    <Panel title="Call metrics">
      <p className="pg-muted">In the flow for {formatDuration(metrics.totalMs)}. Time runs from a node's first step to the next node's.</p>
      <Table
        caption="Time and retries per node"
        rows={metrics.nodes}
        rowKey={(m) => m.nodeId}
        empty="The call has not reached the flow yet."
        columns={[
          { key: 'node', header: 'Node', render: (m) => <span className="pg-mono">{m.nodeId}</span> },
          { key: 'type', header: 'Type', render: (m) => m.type ?? '—' },
          { key: 'time', header: 'Time in node', render: (m) => <span data-metric="time">{formatDuration(m.timeMs)}</span> },
          { key: 'stays', header: 'Visits', render: (m) => m.stays },
          { key: 'retries', header: 'Prompt retries', render: (m) => <span data-metric="retries">{m.retries}</span> },
          { key: 'activityRetries', header: 'Activity retries', render: (m) => m.activityRetries },
        ]}
      />
    </Panel>
  );
}
