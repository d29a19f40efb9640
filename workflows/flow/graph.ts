import type { GraphEdge, ValidGraph, ValidNode } from '../../core/graph/schema';
import { nodeDefinition } from '../../core/nodes';

/** Node types whose handlers read the conversation's context (`FlowRuntime.context`: window and summary). */
const CONTEXT_READERS = new Set<ValidNode['type']>(['llmReply']);

/** Read-only index over a validated graph: node by id, edge target by (source, handle). */
export class FlowGraph {
  private readonly nodes = new Map<string, ValidNode>();
  private readonly targets = new Map<string, string>();
  private readonly edgeIds = new Map<string, string>();
  readonly startId: string;
  /** A node of this flow reads the context: older messages must be folded into the summary as they leave the window. */
  readonly readsContext: boolean;

  constructor(readonly graph: ValidGraph) {
    for (const n of graph.nodes) this.nodes.set(n.id, n);
    this.readsContext = graph.nodes.some((n) => CONTEXT_READERS.has(n.type));
    for (const e of graph.edges) {
      this.targets.set(edgeKey(e.source, e.sourceHandle ?? 'next'), e.target);
      this.edgeIds.set(edgeKey(e.source, e.sourceHandle ?? 'next'), e.id);
    }
    const start = graph.nodes.find((n) => nodeDefinition(n.type)?.entry);
    if (!start) throw new Error('flow graph has no start node');
    this.startId = start.id;
  }

  get settings() {
    return this.graph.settings;
  }

  node(id: string): ValidNode | undefined {
    return this.nodes.get(id);
  }

  /** Node the given output handle leads to; null when the handle is not connected. */
  target(nodeId: string, handle: string): string | null {
    return this.targets.get(edgeKey(nodeId, handle)) ?? null;
  }

  /** Id of the edge leaving `nodeId` by `handle`; null when the handle is not connected. */
  edgeId(nodeId: string, handle: string): string | null {
    return this.edgeIds.get(edgeKey(nodeId, handle)) ?? null;
  }
}

const edgeKey = (source: string, handle: GraphEdge['sourceHandle'] & string) => `${source}\u0000${handle}`;
