/**
 * Conversion between the stored flow graph (core/graph/schema) and React Flow's nodes and edges.
 * React Flow node `type` is the catalogue type; its `data` carries the node's settings plus what
 * the canvas draws on top (validation errors, run highlight, the active node in "Try it").
 */
import type { Edge, Node } from '@xyflow/react';
import { NODE_CATALOGUE, type NodeDefinition } from '../../../core/nodes';
import type { GraphEdge, GraphInput } from '../../../core/graph/schema';

export interface NodeHighlight {
  /** Step number of the node's first visit. */
  order: number;
  /** Step numbers of every visit, when the run's visit order is known (a loop visits a node again). */
  visits?: number[];
  status: 'ok' | 'failed' | 'running';
  durationMs?: number;
}

/** A node's drop-off figures (analytics), drawn as a badge and a heat colour. */
export interface NodeDropOff {
  reached: number;
  ended: number;
  handedOff: number;
  dropOffRate: number | null;
}

export interface FlowNodeData extends Record<string, unknown> {
  config: Record<string, unknown>;
  errors?: string[];
  highlight?: NodeHighlight;
  active?: boolean;
  dropOff?: NodeDropOff;
}

/** Heat of a drop-off rate: low under 20 %, high from 50 %. */
export const dropOffHeat = (rate: number | null) => (rate === null ? 'none' : rate >= 0.5 ? 'high' : rate >= 0.2 ? 'mid' : 'low');

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

/** Edges a run went along when only first visits are known: both ends executed, the target after the source. */
export function takenEdges(edges: FlowEdge[], highlight: Record<string, NodeHighlight>): Set<string> {
  const taken = new Set<string>();
  for (const e of edges) {
    const from = highlight[e.source];
    const to = highlight[e.target];
    if (from && to && to.order > from.order) taken.add(e.id);
  }
  return taken;
}

/** "2, 5": the step numbers a node is labelled with on a run's graph. */
export const stepNumbers = (h: NodeHighlight) => (h.visits?.length ? h.visits : [h.order]).join(', ');

/** One node visit of a run, in the order they happened; `handle` is the output the node left by. */
export interface Visit {
  nodeId: string;
  handle?: string | null;
}

/**
 * A node that waits for input is traced twice (asking, then taking the answer) and an invalid
 * answer asks again: consecutive visits of one node are one visit, leaving by its last handle.
 */
export function collapseVisits(visits: readonly Visit[]): Visit[] {
  const out: Visit[] = [];
  for (const v of visits) {
    const last = out[out.length - 1];
    if (last?.nodeId === v.nodeId) out[out.length - 1] = { nodeId: v.nodeId, handle: v.handle ?? last.handle };
    else out.push({ nodeId: v.nodeId, handle: v.handle });
  }
  return out;
}

/**
 * Edges a run went along, from its visits in order: for each two consecutive visits, the edge
 * between them leaving by the handle taken (or any edge between them when the handle is not one
 * of the edges', e.g. a handoff resuming). A loop's back edge is lit like any other.
 */
export function traversedEdges(edges: readonly Pick<FlowEdge, 'id' | 'source' | 'target' | 'sourceHandle'>[], visits: readonly Visit[]): Set<string> {
  const taken = new Set<string>();
  for (let i = 1; i < visits.length; i++) {
    const from = visits[i - 1];
    const between = edges.filter((e) => e.source === from.nodeId && e.target === visits[i].nodeId);
    const edge = between.find((e) => (e.sourceHandle ?? 'next') === from.handle) ?? between[0];
    if (edge) taken.add(edge.id);
  }
  return taken;
}

/** Each node's visit numbers (1-based) in a collapsed visit list. */
export function visitNumbers(visits: readonly Visit[]): Map<string, number[]> {
  const numbers = new Map<string, number[]>();
  visits.forEach((v, i) => numbers.set(v.nodeId, [...(numbers.get(v.nodeId) ?? []), i + 1]));
  return numbers;
}
