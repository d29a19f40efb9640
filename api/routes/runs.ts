import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../core/api/common';
import { ownWorkflowId } from '../../core/ids';
import { sendMessageBody } from '../../core/api/conversations';
import { listRunsQuery, runDetail, runHistory, runList } from '../../core/api/runs';
import { resetBody, runActionResult, runGraphResult, runParam, signalBody, terminateBody } from '../../core/api/run-actions';
import { enforceSignalRole } from '../plugins/roles';
import { groupHistoryByNode } from '../services/history';
import { RunActions, tenantWorkflowId } from '../services/run-actions';
import { openCursor, sealCursor } from '../services/run-cursor';
import type { AppDeps } from '../deps';

export const runRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const actions = new RunActions(deps.temporal);
    const tags = ['runs'];

    app.get(
      '/v1/runs',
      {
        schema: {
          tags: ['runs'],
          summary: 'List conversations and automation runs (Temporal visibility), newest first',
          querystring: listRunsQuery,
          response: { 200: runList, ...errorResponses },
        },
      },
      async (request) => {
        const cursor = openCursor(deps.secretKey, request.tenantId, request.query.cursor);
        const page = await deps.workflows.runs.listRuns(request.tenantId, { ...request.query, cursor });
        return { ...page, nextCursor: sealCursor(deps.secretKey, request.tenantId, page.nextCursor) };
      },
    );

    app.get(
      '/v1/runs/:runId',
      {
        schema: {
          tags: ['runs'],
          summary: 'Status and output of a run (its runId, or any of the tenant’s workflow ids)',
          params: z.object({ runId: z.string().min(1).max(300) }),
          response: {
            200: runDetail,
            ...errorResponses,
          },
        },
      },
      async (request) => deps.workflows.runs.describeRun(request.tenantId, request.params.runId),
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
        const workflowId = await deps.workflows.flowRun.resume(request.tenantId, request.params.runId, request.body.text);
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
            200: runHistory,
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const workflowId = ownWorkflowId(request.tenantId, request.params.workflowId, null);
        const { events, trace, traceRead, type, status } = await deps.workflows.runs.historyWithTrace(workflowId);
        const visits = trace.map((t) => ({ nodeId: t.nodeId, turn: t.turn, handle: t.handle ?? null }));
        return { workflowId, type, status, nodes: groupHistoryByNode(events as never[], trace), visits, traceRead, eventCount: events.length };
      },
    );

    app.get(
      '/v1/runs/:runId/graph',
      { schema: { tags, summary: 'The flow id, version and graph the run executes (version 0: a test conversation on a draft)', params: runParam, response: { 200: runGraphResult, ...errorResponses } } },
      async (request) => actions.graph(tenantWorkflowId(request.tenantId, request.params.runId)),
    );

    app.get(
      '/v1/runs/:runId/history/raw',
      { schema: { tags, summary: 'The raw Temporal history as JSON (a download)', params: runParam, response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const workflowId = tenantWorkflowId(request.tenantId, request.params.runId);
        const json = await actions.rawHistory(workflowId);
        const filename = `${workflowId.replace(/[^A-Za-z0-9._-]+/g, '_')}.history.json`;
        return reply.type('application/json').header('content-disposition', `attachment; filename="${filename}"`).send(json);
      },
    );

    app.post(
      '/v1/runs/:runId/cancel',
      { schema: { tags, summary: 'Request cancellation (the workflow may clean up)', params: runParam, response: { 202: runActionResult, ...errorResponses } } },
      async (request, reply) => reply.status(202).send({ runId: await actions.cancel(tenantWorkflowId(request.tenantId, request.params.runId)) }),
    );

    app.post(
      '/v1/runs/:runId/terminate',
      { schema: { tags, summary: 'Stop the run at once, with a reason', params: runParam, body: terminateBody.nullish(), response: { 202: runActionResult, ...errorResponses } } },
      async (request, reply) =>
        reply.status(202).send({ runId: await actions.terminate(tenantWorkflowId(request.tenantId, request.params.runId), request.body?.reason ?? 'terminated from the console') }),
    );

    app.post(
      '/v1/runs/:runId/signal',
      { schema: { tags, summary: 'Send one of the workflow’s own signals', params: runParam, body: signalBody, response: { 202: runActionResult, ...errorResponses } } },
      async (request, reply) => {
        const { name, args } = request.body;
        const runId = await actions.signal(tenantWorkflowId(request.tenantId, request.params.runId), name, args, () => enforceSignalRole(request, name));
        return reply.status(202).send({ runId });
      },
    );

    app.post(
      '/v1/runs/:runId/reset',
      { schema: { tags, summary: 'Re-run from a node: resets to the workflow task before its first activity (409 when it ran none)', params: runParam, body: resetBody, response: { 202: runActionResult, ...errorResponses } } },
      async (request, reply) => reply.status(202).send({ runId: await actions.resetToNode(tenantWorkflowId(request.tenantId, request.params.runId), request.body.nodeId) }),
    );
  };
