import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../core/api/common';
import { sendMessageBody } from '../../core/api/conversations';
import { listRunsQuery, nodeHistorySchema, runSummary } from '../../core/api/runs';
import { groupHistoryByNode } from '../services/history';
import type { AppDeps } from '../deps';

export const runRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/runs',
      {
        schema: {
          tags: ['runs'],
          summary: 'List conversations and automation runs (Temporal visibility), newest first',
          querystring: listRunsQuery,
          response: { 200: z.object({ runs: z.array(runSummary.extend({ stage: z.string().nullable() })), nextCursor: z.string().nullable() }), ...errorResponses },
        },
      },
      async (request) => deps.workflows.listRuns(request.tenantId, request.query),
    );

    app.get(
      '/v1/runs/:runId',
      {
        schema: {
          tags: ['runs'],
          summary: 'Status and output of a run (its runId, or any of the tenant’s workflow ids)',
          params: z.object({ runId: z.string().min(1).max(300) }),
          response: {
            200: z.object({
              runId: z.string(),
              workflowId: z.string(),
              status: z.string(),
              startTime: z.string(),
              closeTime: z.string().nullable(),
              output: z.unknown(),
              state: z.unknown(),
              error: z.string().nullable(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => deps.workflows.describeRun(request.tenantId, request.params.runId),
    );

    app.post(
      '/v1/runs/:runId/resume',
      {
        schema: {
          tags: ['runs'],
          summary: 'Answer the question (ask node) an automation run is waiting on',
          params: z.object({ runId: z.string().min(1).max(300) }),
          body: sendMessageBody,
          response: { 202: z.object({ workflowId: z.string() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const workflowId = await deps.workflows.resumeRun(request.tenantId, request.params.runId, request.body.text);
        return reply.status(202).send({ workflowId });
      },
    );

    app.get(
      '/v1/runs/:workflowId/history',
      {
        schema: {
          tags: ['runs'],
          summary: 'A run’s events grouped by flow node, with timings, inputs, outputs and errors',
          params: z.object({ workflowId: z.string().min(1).max(300) }),
          response: {
            200: z.object({ workflowId: z.string(), type: z.string(), status: z.string(), nodes: z.array(nodeHistorySchema), eventCount: z.number().int() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const workflowId = deps.workflows.ownWorkflowId(request.tenantId, request.params.workflowId, null);
        const { events, trace, type, status } = await deps.workflows.historyWithTrace(workflowId);
        return { workflowId, type, status, nodes: groupHistoryByNode(events as never[], trace), eventCount: events.length };
      },
    );
  };
