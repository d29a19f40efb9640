/** Workflow ids are part of the public contract (DESIGN.md §2): build them in one place. */
export const TASK_QUEUE = 'switchboard';

export const conversationWorkflowId = (tenantId: string, conversationId: string) => `conv:${tenantId}:${conversationId}`;
export const flowRunWorkflowId = (tenantId: string, key: string) => `run:${tenantId}:${key}`;
export const ingestWorkflowId = (tenantId: string, documentId: string, version: number) => `ingest:${tenantId}:${documentId}:${version}`;

/** `conv:{tenant}:{id}` → {kind, tenantId, rest}; null when the id is not one of ours. */
export function parseWorkflowId(workflowId: string): { kind: string; tenantId: string; rest: string } | null {
  const m = /^([a-z]+):([^:]+):(.+)$/.exec(workflowId);
  return m ? { kind: m[1], tenantId: m[2], rest: m[3] } : null;
}
