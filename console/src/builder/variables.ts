/** Variables a node can use: those set by nodes upstream of it, plus the flow's starting variables. */
import type { FlowEdge, FlowNode } from '../graph/model';

/** Names a node of this type stores into the run's variables. */
export function variablesSetBy(node: Pick<FlowNode, 'type' | 'data'>): string[] {
  const c = node.data.config;
  const name = (v: unknown) => (typeof v === 'string' && v ? [v] : []);
  switch (node.type) {
    case 'ask':
    case 'setVariable':
      return name(c.variable);
    case 'llmReply':
      return name(c.saveAs);
    case 'httpRequest':
      return c.responseMapping && typeof c.responseMapping === 'object' ? Object.keys(c.responseMapping) : [];
    default:
      return [];
  }
}

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
