import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createdId, errorResponses, uuidParam } from '../../core/api/common';
import { createFlowBody, draftSaved, flowDetail, flowList, flowPublished, publishFlowBody, startRunBody, updateFlowBody, validateResult } from '../../core/api/flows';
import { AppError } from '../../core/errors';
import { createFlow, listFlowVersions, listFlows, publishFlowVersion, updateFlow } from '../../db/repos';
import { flowVersionDetail, flowVersionList, testSessionBody, testSessionResult, versionParams } from '../../core/api/flow-tools';
import { checkFlowGraph, requireValidGraph } from '../services/flow-checks';
import { latestVersionNumbers, requireFlow, requireVersion } from '../services/lookups';
import { startTestSession } from '../services/test-sessions';
import { templateGraph } from './templates';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export const flowRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['flows'];

    app.post(
      '/v1/flows',
      { schema: { tags, summary: 'Create a flow (its graph is saved as the draft)', body: createFlowBody, response: { 201: createdId, ...errorResponses } } },
      async (request, reply) => {
        const { name, description, graph, templateId } = request.body;
        const flow = await createFlow(request.em, request.tenantId, { name, description, draft: graph ?? templateGraph(templateId!) });
        return reply.status(201).send({ id: flow.id });
      },
    );

    app.get(
      '/v1/flows',
      { schema: { tags, summary: 'List flows', response: { 200: flowList, ...errorResponses } } },
      async (request) => {
        const flows = await listFlows(request.em);
        const latest = await latestVersionNumbers(request.em, flows.map((f) => f.id));
        return {
          flows: flows.map((f) => ({
            id: f.id,
            name: f.name,
            description: f.description ?? null,
            latestVersion: latest.get(f.id) ?? null,
            createdAt: iso(f.createdAt)!,
            updatedAt: iso(f.updatedAt)!,
          })),
        };
      },
    );

    app.get(
      '/v1/flows/:id',
      { schema: { tags, summary: 'A flow with its draft graph and published versions', params: uuidParam, response: { 200: flowDetail, ...errorResponses } } },
      async (request) => {
        const flow = await requireFlow(request.em, request.params.id);
        const versions = await listFlowVersions(request.em, flow.id);
        return {
          id: flow.id,
          name: flow.name,
          description: flow.description ?? null,
          graph: flow.draft,
          latestVersion: versions[0]?.version ?? null,
          createdAt: iso(flow.createdAt)!,
          updatedAt: iso(flow.updatedAt)!,
          versions: versions.map((v) => ({ version: v.version, note: v.note ?? null, publishedAt: iso(v.publishedAt)! })),
        };
      },
    );

    app.put(
      '/v1/flows/:id',
      { schema: { tags, summary: 'Save the draft (published versions never change)', params: uuidParam, body: updateFlowBody, response: { 200: draftSaved, ...errorResponses } } },
      async (request) => {
        const { name, description, graph } = request.body;
        const patch = { ...(name !== undefined && { name }), ...(description !== undefined && { description }), ...(graph !== undefined && { draft: graph }) };
        const previous = await requireFlow(request.em, request.params.id);
        const before = { name: previous.name, description: previous.description, draft: previous.draft };
        const flow = await updateFlow(request.em, request.params.id, patch);
        if (!flow) throw new AppError('not_found', 'flow not found', { field: 'id' });
        recordChange(request, { before, after: { name: flow.name, description: flow.description, draft: flow.draft } });
        return { id: flow.id, updatedAt: iso(flow.updatedAt)! };
      },
    );

    app.post(
      '/v1/flows/:id/validate',
      { schema: { tags, summary: 'Validate the draft (knowledge bases it names must exist): errors carry the node id they belong to', params: uuidParam, response: { 200: validateResult, ...errorResponses } } },
      async (request) => {
        const flow = await requireFlow(request.em, request.params.id);
        const { valid, errors } = await checkFlowGraph(request.em, flow.draft);
        return { valid, errors };
      },
    );

    app.post(
      '/v1/flows/:id/publish',
      {
        schema: {
          tags,
          summary: 'Publish the draft as a new immutable version (refused with 422 flow_invalid while it has errors)',
          params: uuidParam,
          body: publishFlowBody.nullish(),
          response: { 201: flowPublished, ...errorResponses },
        },
      },
      async (request, reply) => {
        const flow = await requireFlow(request.em, request.params.id);
        const graph = await requireValidGraph(request.em, flow.draft);
        const version = await publishFlowVersion(request.em, flow.id, graph, request.body?.note, request.principal.label);
        return reply.status(201).send({ version: version.version });
      },
    );

    app.post(
      '/v1/flows/:id/runs',
      {
        schema: {
          tags: ['runs'],
          summary: 'Start an automation run of the latest published version (idempotent on idempotencyKey)',
          params: uuidParam,
          body: startRunBody,
          response: { 202: z.object({ runId: z.string(), workflowId: z.string(), created: z.boolean() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const flow = await requireFlow(request.em, request.params.id);
        const version = await requireVersion(request.em, flow.id, request.body.version);
        const run = await deps.workflows.flowRun.start(
          request.tenantId,
          { flowId: flow.id, version: version.version, graph: version.graph },
          request.body.input,
          request.body.idempotencyKey,
        );
        return reply.status(202).send({ runId: run.runId, workflowId: run.workflowId, created: run.created });
      },
    );

    app.get(
      '/v1/flows/:id/versions',
      { schema: { tags, summary: 'Published versions, newest first', params: uuidParam, response: { 200: flowVersionList, ...errorResponses } } },
      async (request) => {
        const flow = await requireFlow(request.em, request.params.id);
        const versions = await listFlowVersions(request.em, flow.id);
        return { items: versions.map((v) => ({ version: v.version, note: v.note ?? null, createdAt: iso(v.publishedAt)!, createdBy: v.createdBy ?? null })) };
      },
    );

    app.get(
      '/v1/flows/:id/versions/:version',
      { schema: { tags, summary: 'One published version with its graph', params: versionParams, response: { 200: flowVersionDetail, ...errorResponses } } },
      async (request) => {
        const v = await requireVersion(request.em, request.params.id, request.params.version);
        return { version: v.version, note: v.note ?? null, createdAt: iso(v.publishedAt)!, createdBy: v.createdBy ?? null, graph: v.graph };
      },
    );

    app.post(
      '/v1/flows/:id/versions/:version/restore',
      { schema: { tags, summary: 'Copy a published version’s graph into the draft', params: versionParams, response: { 200: draftSaved, ...errorResponses } } },
      async (request) => {
        const v = await requireVersion(request.em, request.params.id, request.params.version);
        const flow = await updateFlow(request.em, request.params.id, { draft: v.graph });
        return { id: flow!.id, updatedAt: iso(flow!.updatedAt)! };
      },
    );

    app.post(
      '/v1/flows/:id/test-sessions',
      {
        schema: {
          tags,
          summary: 'Try the draft (or the given graph): a test conversation and its chat token; the socket also sends node frames',
          params: uuidParam,
          body: testSessionBody.nullish(),
          response: { 201: testSessionResult, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await startTestSession(deps, request.em, request.tenantId, request.params.id, request.body?.graph)),
    );
  };
