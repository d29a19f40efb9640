/**
 * Conversion between the stored flow graph (core/graph/schema) and React Flow's nodes and edges.
 * React Flow node `type` is the catalogue type; its `data` carries the node's settings plus what
 * the canvas draws on top (validation errors, run highlight, the active node in "Try it").
 */
import type { Edge, Node } from '@xyflow/react';
import { NODE_CATALOGUE, type NodeDefinition } from '../../../core/nodes';
import type { GraphEdge, GraphInput } from '../../../core/graph/schema';

export interface NodeHighlight {
  order: number;
  status: 'ok' | 'failed' | 'running';
  durationMs?: number;
}

export interface FlowNodeData extends Record<string, unknown> {
  config: Record<string, unknown>;
  errors?: string[];
  highlight?: NodeHighlight;
  active?: boolean;
}

export type FlowNode = Node<FlowNodeData>;
export type FlowEdge = Edge;

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 76;

export const CATALOGUE: readonly NodeDefinition[] = NODE_CATALOGUE;
export const definitionOf = (type: string | undefined) => CATALOGUE.find((d) => d.type === type);
/** Minimap rectangles take their node's category colour (graph.css). */
export const minimapClass = (node: { type?: string }) => `minimap-${definitionOf(node.type)?.category ?? 'unknown'}`;

export function toFlowNodes(graph: Pick<GraphInput, 'nodes'>): FlowNode[] {
  return graph.nodes.map((n, i) => ({
    id: n.id,
    type: n.type,
    position: n.position ?? { x: (i % 6) * (NODE_WIDTH + 40), y: Math.floor(i / 6) * (NODE_HEIGHT + 60) },
    data: { config: (n.data ?? {}) as Record<string, unknown> },
  }));
}

export function toFlowEdges(graph: Pick<GraphInput, 'edges'>): FlowEdge[] {
  return graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? 'next', label: labelFor(e.sourceHandle) }));
}

/** Only non-default handles get a label on the edge; `next` is the obvious path. */
const labelFor = (handle: string | undefined | null) => (handle && handle !== 'next' ? handle : undefined);

export function edgeFromConnection(c: { source: string; target: string; sourceHandle?: string | null }, id: string): FlowEdge {
  return { id, source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? 'next', label: labelFor(c.sourceHandle) };
}

export function toGraphNodes(nodes: FlowNode[]): GraphInput['nodes'] {
  return nodes.map((n) => ({ id: n.id, type: n.type ?? '', position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, data: n.data.config }));
}

export function toGraphEdges(edges: FlowEdge[]): GraphEdge[] {
  return edges.map((e) => ({ id: e.id, source: e.source, target: e.target, ...(e.sourceHandle && e.sourceHandle !== 'next' ? { sourceHandle: e.sourceHandle } : {}) }));
}

/** Edges a run went along: both ends executed, the target after the source. */
export function takenEdges(edges: FlowEdge[], highlight: Record<string, NodeHighlight>): Set<string> {
  const taken = new Set<string>();
  for (const e of edges) {
    const from = highlight[e.source];
    const to = highlight[e.target];
    if (from && to && to.order > from.order) taken.add(e.id);
  }
  return taken;
}
