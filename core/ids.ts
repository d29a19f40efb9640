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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID: PostgreSQL refuses a malformed one in a uuid comparison, so callers ask first. */
export const isUuid = (value: string) => UUID.test(value);
