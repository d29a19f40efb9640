/**
 * How one node is drawn: its type's label and category colour, a one-line summary of its settings,
 * a target handle on top (except on the entry node) and one source handle per catalogue output at the bottom.
 * Memoized: dragging one node must not re-render the other thousand.
 */
import { Handle, Position, type NodeProps, type NodeTypes } from '@xyflow/react';
import { memo } from 'react';
import type { NodeDefinition } from '../../../core/nodes';
import { CATALOGUE, definitionOf, dropOffHeat, stepNumbers, type FlowNode, type NodeDropOff } from './model';

/** Fields a node without its own `summary` is summarized by: the first one set. */
const SUMMARY_FIELDS = ['text', 'prompt', 'expression', 'url', 'message', 'systemPrompt', 'seconds', 'variable'];

function summarize(def: NodeDefinition | undefined, config: Record<string, unknown>): string {
  const own = def?.summary?.(config);
  if (own !== undefined) return own;
  for (const f of SUMMARY_FIELDS) {
    const v = config[f];
    if (typeof v === 'string' && v) return v;
    if (typeof v === 'number') return String(v);
  }
  return '';
}

/** "12 in · 3 ended · 1 to a human · 33%": a node's drop-off on the analytics graph. */
function DropOffBadge({ d }: { d: NodeDropOff }) {
  const rate = d.dropOffRate === null ? '—' : `${Math.round(d.dropOffRate * 1000) / 10}%`;
  return (
    <div className={`fnode-dropoff fnode-dropoff-${dropOffHeat(d.dropOffRate)}`} data-reached={d.reached} data-ended={d.ended} data-handed-off={d.handedOff} title={`${d.reached} reached, ${d.ended} ended here, ${d.handedOff} handed off here: ${rate} drop off`}>
      <span>{d.reached} in</span>
      {d.ended > 0 && <span>{d.ended} ended</span>}
      {d.handedOff > 0 && <span>{d.handedOff} to a human</span>}
      <strong>{rate}</strong>
    </div>
  );
}

const formatDuration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

function NodeView({ id, type, data, selected }: NodeProps<FlowNode>) {
  const def = definitionOf(type);
  const outputs = def?.outputs ?? [];
  const errors = data.errors ?? [];
  const h = data.highlight;
  const classes = [
    'fnode',
    `fnode-${def?.category ?? 'unknown'}`,
    selected && 'fnode-selected',
    errors.length > 0 && 'fnode-invalid',
    h && `fnode-run-${h.status}`,
    data.active && 'fnode-active',
    data.dropOff && `fnode-heat-${dropOffHeat(data.dropOff.dropOffRate)}`,
  ].filter(Boolean);
  const summary = summarize(def, data.config);
  return (
    <div className={classes.join(' ')} data-node-id={id} data-node-type={type} aria-label={`${def?.label ?? type} node ${id}`}>
      {!def?.entry && <Handle type="target" position={Position.Top} className="fnode-handle" />}
      <div className="fnode-head">
        <span className="fnode-type">{def?.label ?? `Unknown: ${type}`}</span>
        {h && (
          <span className="fnode-order" title={`${h.visits && h.visits.length > 1 ? 'Steps' : 'Step'} ${stepNumbers(h)}${h.durationMs !== undefined ? `, ${formatDuration(h.durationMs)}` : ''}`}>
            #{stepNumbers(h)}
            {h.durationMs !== undefined && ` · ${formatDuration(h.durationMs)}`}
          </span>
        )}
        {errors.length > 0 && (
          <span className="fnode-error-count" title={errors.join('\n')} aria-label={`${errors.length} error(s)`}>
            !{errors.length > 1 ? errors.length : ''}
          </span>
        )}
      </div>
      <div className="fnode-summary" title={summary}>
        {summary || <span className="fnode-id">{id}</span>}
      </div>
      {data.dropOff && <DropOffBadge d={data.dropOff} />}
      {outputs.map((handle, i) => (
        <Handle
          key={handle}
          id={handle}
          type="source"
          position={Position.Bottom}
          className={`fnode-handle fnode-out fnode-out-${handle}`}
          style={{ left: `${((i + 1) / (outputs.length + 1)) * 100}%` }}
          data-handle={handle}
          title={handle}
        >
          {outputs.length > 1 && <span className="fnode-handle-label">{handle}</span>}
        </Handle>
      ))}
    </div>
  );
}

const MemoNode = memo(NodeView);

/** One entry per catalogue type (all drawn by the same view), plus a fallback for unknown types. */
export const nodeTypes: NodeTypes = Object.fromEntries([...CATALOGUE.map((d) => [d.type, MemoNode]), ['default', MemoNode]]);
