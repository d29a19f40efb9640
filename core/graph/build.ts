/**
 * Compact notation for graphs written in code (templates, the demo flow): one line per node and
 * one tuple per edge instead of repeating the object shapes.
 */
import type { GraphInput } from './schema';

type NodeInput = GraphInput['nodes'][number];
type EdgeInput = GraphInput['edges'][number];

/** A node at (x, y) on the canvas. */
export const node = (id: string, type: string, x: number, y: number, data: Record<string, unknown> = {}): NodeInput => ({ id, type, position: { x, y }, data });

/** `[source, target]` or `[source, target, sourceHandle]`. */
export type Link = readonly [source: string, target: string, sourceHandle?: string];

/** Edges from links, with ids `e1`, `e2`… in order unless `ids` names them. */
export function edges(links: readonly Link[], ids?: readonly string[]): EdgeInput[] {
  return links.map(([source, target, sourceHandle], i) => ({ id: ids?.[i] ?? `e${i + 1}`, source, ...(sourceHandle ? { sourceHandle } : {}), target }));
}
