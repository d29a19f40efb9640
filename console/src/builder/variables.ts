/** Variables a node can use: those set by nodes upstream of it, plus the flow's starting variables. */
import { definitionOf, type FlowEdge, type FlowNode } from '../graph/model';

/** Names a node of this type stores into the run's variables (its catalogue definition says which). */
export const variablesSetBy = (node: Pick<FlowNode, 'type' | 'data'>): string[] => definitionOf(node.type)?.sets?.(node.data.config) ?? [];

export function upstreamVariables(nodeId: string, nodes: FlowNode[], edges: FlowEdge[], initial: Record<string, unknown> = {}): string[] {
  const incoming = new Map<string, string[]>();
  for (const e of edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  const seen = new Set<string>();
  const queue = [...(incoming.get(nodeId) ?? [])];
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(incoming.get(id) ?? []));
  }
  const names = new Set(Object.keys(initial));
  for (const n of nodes) if (seen.has(n.id)) variablesSetBy(n).forEach((v) => names.add(v));
  return [...names].sort();
}
