/** Typed calls to the flow routes the builder uses; every shape is inferred from the API's own schemas (core/api). */
import type { z } from 'zod';
import { api } from '../api/client';
import type { createdId } from '../../../core/api/common';
import type { flowTemplateList, flowVersionItem, flowVersionList, testSessionResult } from '../../../core/api/flow-tools';
import type { createFlowBody, draftSaved, flowDetail, flowList, flowPublished, flowSummary, flowVersionSummary, updateFlowBody } from '../../../core/api/flows';
import type { GraphError, GraphInput } from '../../../core/graph/schema';

export type FlowSummary = z.infer<typeof flowSummary>;
export type FlowDetail = z.infer<typeof flowDetail>;
/** A version as the flow lists it (`publishedAt`) or as the versions route does (`createdAt`, `createdBy`). */
export type FlowVersionSummary = z.infer<typeof flowVersionSummary> | z.infer<typeof flowVersionItem>;
export type FlowTemplate = z.infer<typeof flowTemplateList>['items'][number];
export type TestSession = z.infer<typeof testSessionResult>;

/** What a new blank flow starts with: the smallest graph that validates. */
export const BLANK_GRAPH: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'end', type: 'end', position: { x: 0, y: 160 }, data: {} },
  ],
  edges: [{ id: 'e-start-end', source: 'start', target: 'end' }],
};

export const flowApi = {
  list: () => api.get<z.infer<typeof flowList>>('/v1/flows').then((r) => r.flows),
  get: (id: string) => api.get<FlowDetail>(`/v1/flows/${id}`),
  create: (body: z.input<typeof createFlowBody>) => api.post<z.infer<typeof createdId>>('/v1/flows', body),
  saveDraft: (id: string, body: z.input<typeof updateFlowBody>) => api.put<z.infer<typeof draftSaved>>(`/v1/flows/${id}`, body),
  publish: (id: string, note: string) => api.post<z.infer<typeof flowPublished>>(`/v1/flows/${id}/publish`, note ? { note } : {}),
  versions: (id: string) => api.get<z.infer<typeof flowVersionList>>(`/v1/flows/${id}/versions`).then((r): FlowVersionSummary[] => r.items),
  restore: (id: string, version: number) => api.post<z.infer<typeof draftSaved>>(`/v1/flows/${id}/versions/${version}/restore`),
  templates: () => api.get<z.infer<typeof flowTemplateList>>('/v1/flow-templates').then((r) => r.items),
  testSession: (id: string, graph: GraphInput) => api.post<TestSession>(`/v1/flows/${id}/test-sessions`, { graph }),
};

export type { GraphError, GraphInput };
