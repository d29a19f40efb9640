/**
 * The distinct nodes a conversation visited and edges it followed, in first-seen order, and the
 * node it was last at: what its `conversation.closed` event reports for the flow drop-off figures
 * (db/repos/analytics-nodes.ts). Bounded by the graph's size; carried across continue-as-new.
 */
export interface PathState {
  nodes: string[];
  edges: string[];
  lastNodeId: string | null;
  /** Where the last handoff of this run happened (a keyword handoff: the node the contact was at). */
  handoffNodeId: string | null;
}

export class PathLog {
  private readonly nodeSet: Set<string>;
  private readonly edgeSet: Set<string>;
  lastNodeId: string | null;
  handoffNodeId: string | null;

  constructor(carried?: PathState) {
    this.nodeSet = new Set(carried?.nodes ?? []);
    this.edgeSet = new Set(carried?.edges ?? []);
    this.lastNodeId = carried?.lastNodeId ?? null;
    this.handoffNodeId = carried?.handoffNodeId ?? null;
  }

  visit(nodeId: string): void {
    this.nodeSet.add(nodeId);
    this.lastNodeId = nodeId;
  }

  follow(edgeId: string | null): void {
    if (edgeId) this.edgeSet.add(edgeId);
  }

  /** A handoff at a pseudo node (`@keyword`) is placed at the flow node the conversation was at. */
  handedOff(nodeId: string, atNodeId: string | null): void {
    this.handoffNodeId = nodeId.startsWith('@') ? atNodeId : nodeId;
  }

  /** Back to an earlier state (a discarded walk). */
  restore(state: PathState): void {
    this.nodeSet.clear();
    this.edgeSet.clear();
    for (const n of state.nodes) this.nodeSet.add(n);
    for (const e of state.edges) this.edgeSet.add(e);
    this.lastNodeId = state.lastNodeId;
    this.handoffNodeId = state.handoffNodeId;
  }

  state(): PathState {
    return { nodes: [...this.nodeSet], edges: [...this.edgeSet], lastNodeId: this.lastNodeId, handoffNodeId: this.handoffNodeId };
  }
}
