/** Typed calls to the flow routes the builder uses (shapes from core/api/flows.ts and the console contract). */
import { api } from '../api/client';
import type { GraphError, GraphInput } from '../../../core/graph/schema';

export interface FlowSummary {
  id: string;
  name: string;
  description: string | null;
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
}
export interface FlowVersionSummary {
  version: number;
  note: string | null;
  publishedAt?: string;
  createdAt?: string;
  createdBy?: string | null;
}
export interface FlowDetail extends FlowSummary {
  graph: GraphInput;
  versions: FlowVersionSummary[];
}
export interface FlowTemplate {
  id: string;
  name: string;
  description: string;
  graph: GraphInput;
}
export interface TestSession {
  conversationId: string;
  token: string;
  expiresAt: string;
}

/** What a new blank flow starts with: the smallest graph that validates. */
export const BLANK_GRAPH: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'end', type: 'end', position: { x: 0, y: 160 }, data: {} },
  ],
  edges: [{ id: 'e-start-end', source: 'start', target: 'end' }],
};

export const flowApi = {
  list: () => api.get<{ flows: FlowSummary[] }>('/v1/flows').then((r) => r.flows),
  get: (id: string) => api.get<FlowDetail>(`/v1/flows/${id}`),
  create: (body: { name: string; description?: string; graph?: GraphInput; templateId?: string }) => api.post<{ id: string }>('/v1/flows', body),
  saveDraft: (id: string, body: { name?: string; graph?: GraphInput }) => api.put<{ id: string; updatedAt: string }>(`/v1/flows/${id}`, body),
  publish: (id: string, note: string) => api.post<{ version: number }>(`/v1/flows/${id}/publish`, note ? { note } : {}),
  versions: (id: string) => api.get<{ items?: FlowVersionSummary[]; versions?: FlowVersionSummary[] }>(`/v1/flows/${id}/versions`).then((r) => r.items ?? r.versions ?? []),
  restore: (id: string, version: number) => api.post<unknown>(`/v1/flows/${id}/versions/${version}/restore`),
  templates: () => api.get<{ items: FlowTemplate[] }>('/v1/flow-templates').then((r) => r.items),
  testSession: (id: string, graph: GraphInput) => api.post<TestSession>(`/v1/flows/${id}/test-sessions`, { graph }),
};

export type { GraphError, GraphInput };
