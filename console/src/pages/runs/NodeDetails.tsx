/**
 * The side panel of a run: the executed path in order (each entry selects its node), and for the
 * selected node its timing and every step with input, output and error.
 */
import { stepNumbers, type NodeHighlight } from '../../graph/model';
import { Badge, Button, EmptyState } from '../../ui';
import { formatDateTime, formatDuration, formatJson } from '../shared/format';
import { nodeStatus } from './useRun';
import type { NodeHistory, NodeStep } from './types';

const STATUS_TONE = { ok: 'success', failed: 'danger', running: 'info' } as const;
const STEP_TONE: Record<NodeStep['status'], 'success' | 'danger' | 'info' | 'warning' | 'neutral'> = {
  completed: 'success',
  visited: 'success',
  failed: 'danger',
  timed_out: 'danger',
  running: 'info',
  scheduled: 'info',
  canceled: 'warning',
};

interface ExecutedPathProps {
  path: NodeHistory[];
  highlight: Record<string, NodeHighlight>;
  selected: string | null;
  onSelect: (nodeId: string) => void;
}

export function ExecutedPath({ path, highlight, selected, onSelect }: ExecutedPathProps) {
  if (path.length === 0) return <p className="pg-muted">No node has run yet.</p>;
  return (
    <ol className="pg-list" aria-label="Executed nodes in order">
      {path.map((n, i) => {
        const status = nodeStatus(n);
        return (
          <li key={n.nodeId}>
            <button type="button" className="pg-list-item rn-step" aria-current={n.nodeId === selected ? 'true' : undefined} onClick={() => onSelect(n.nodeId)} data-node-id={n.nodeId}>
              <span className="rn-step-order">#{highlight[n.nodeId] ? stepNumbers(highlight[n.nodeId]) : i + 1}</span>
              <span className="pg-grow pg-list-title">
                {n.nodeId} <span className="pg-muted">{n.type ?? ''}</span>
              </span>
              <Badge tone={STATUS_TONE[status]}>{status}</Badge>
              <span className="pg-muted">{formatDuration(n.durationMs)}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

export function NodeDetail({ node, onClose }: { node: NodeHistory | undefined; onClose: () => void }) {
  if (!node) return <EmptyState title="Node not run">This node has no history in this run.</EmptyState>;
  return (
    <div className="pg-col" aria-label={`Node ${node.nodeId}`}>
      <div className="pg-row pg-row-between">
        <h3 className="pg-h3">
          {node.nodeId} <span className="pg-muted">{node.type}</span>
        </h3>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Back to path
        </Button>
      </div>
      <dl className="pg-dl">
        <dt>Visits</dt>
        <dd>{node.visits}</dd>
        <dt>First</dt>
        <dd>{formatDateTime(node.firstAt)}</dd>
        <dt>Last</dt>
        <dd>{formatDateTime(node.lastAt)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(node.durationMs)}</dd>
      </dl>
      {node.steps.map((s, i) => (
        <section key={i} className="pg-section" aria-label={`Step ${i + 1}: ${s.name}`}>
          <div className="pg-row">
            <strong>{s.name}</strong>
            <Badge tone={STEP_TONE[s.status]}>{s.status.replace('_', ' ')}</Badge>
            {s.turn !== undefined && <span className="pg-muted">turn {s.turn}</span>}
            {s.attempts !== undefined && s.attempts > 1 && <span className="pg-muted">{s.attempts} attempts</span>}
            {s.handle && <span className="pg-muted">→ {s.handle}</span>}
            <span className="pg-muted">{formatDuration(s.durationMs)}</span>
          </div>
          <span className="pg-muted">
            {formatDateTime(s.startedAt)}
            {s.finishedAt ? ` → ${formatDateTime(s.finishedAt)}` : ''}
          </span>
          {s.error && (
            <>
              <span className="field-label">Error</span>
              <pre className="pg-pre pg-error-text">{s.error}</pre>
            </>
          )}
          {s.input !== undefined && (
            <>
              <span className="field-label">Input</span>
              <pre className="pg-pre">{formatJson(s.input)}</pre>
            </>
          )}
          {s.output !== undefined && (
            <>
              <span className="field-label">Output</span>
              <pre className="pg-pre">{formatJson(s.output)}</pre>
            </>
          )}
        </section>
      ))}
    </div>
  );
}
