/**
 * A read-only drawing of a flow graph, e.g. the path a run took: pass `highlight` (nodeId →
 * order, status, duration) and the executed nodes and the edges between them light up.
 */
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import '@xyflow/react/dist/style.css';
import type { GraphInput } from '../../../core/graph/schema';
import { nodeTypes } from './FlowNodeView';
import { minimapClass, takenEdges, toFlowEdges, toFlowNodes, type NodeDropOff, type NodeHighlight } from './model';
import './graph.css';

export interface FlowCanvasProps {
  graph: Pick<GraphInput, 'nodes' | 'edges'>;
  highlight?: Record<string, NodeHighlight>;
  /** Ids of the edges the run went along; without it, guessed from the highlight's order. */
  taken?: ReadonlySet<string>;
  /** Called when a node is clicked (e.g. to show that step's input and output). */
  onNodeClick?: (nodeId: string) => void;
  height?: number | string;
  minimap?: boolean;
  /** Analytics: each node's drop-off (a badge and a heat colour) and each edge's count of conversations. */
  dropOff?: { nodes: Record<string, NodeDropOff>; edges: Record<string, number> };
}

export function FlowCanvas({ graph, highlight, taken, onNodeClick, height = '100%', minimap = true, dropOff }: FlowCanvasProps) {
  const nodes = useMemo(
    () =>
      toFlowNodes(graph).map((n) => ({
        ...n,
        data: { ...n.data, highlight: highlight?.[n.id], dropOff: dropOff?.nodes[n.id] },
        className: (highlight && !highlight[n.id]) || (dropOff && !dropOff.nodes[n.id]?.reached) ? 'fnode-dim' : undefined,
      })),
    [graph, highlight, dropOff],
  );
  const edges = useMemo(() => {
    const all = toFlowEdges(graph);
    if (dropOff) {
      const most = Math.max(1, ...Object.values(dropOff.edges));
      return all.map((e) => {
        const followed = dropOff.edges[e.id] ?? 0;
        const label = `${e.label ? `${e.label} · ` : ''}${followed}`;
        return followed ? { ...e, label, className: 'fedge-counted', style: { strokeWidth: 1.5 + (3 * followed) / most } } : { ...e, label, className: 'fedge-dim' };
      });
    }
    if (!highlight) return all;
    const lit = taken ?? takenEdges(all, highlight);
    return all.map((e) => (lit.has(e.id) ? { ...e, animated: true, className: 'fedge-taken' } : { ...e, className: 'fedge-dim' }));
  }, [graph, highlight, taken, dropOff]);

  return (
    <div className="flow-canvas" style={{ height }}>
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={Boolean(onNodeClick)}
          onNodeClick={onNodeClick ? (_e, n) => onNodeClick(n.id) : undefined}
          fitView
          minZoom={0.1}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} />
          <Controls showInteractive={false} />
          {minimap && <MiniMap pannable zoomable ariaLabel="Flow overview" nodeClassName={minimapClass} />}
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}

export type { NodeDropOff, NodeHighlight } from './model';
