/**
 * `/v1/calls`: place an outbound call (`POST`: the call row, then Twilio's Calls API with the
 * call's webhook as its Url, answering-machine detection passed through; the call runs its flow in
 * an `ivrCall` workflow when answered), and read calls (`GET`: status, duration, the path of
 * nodes, recordings) for the console and integrations. Tenant-scoped: another tenant's call or
 * channel is not found.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { callList, callListQuery, callSchema, placeCallBody, type CallDto } from '../../core/api/calls';
import { AppError } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { ProviderError } from '../../channels/types';
import { decodeCursor, encodeCursor } from '../../db/repos';
import { placeOutboundCall } from '../../voice/outbound';
import { getCall, listCalls, type CallRow } from '../../voice/store';
import type { AppDeps } from '../deps';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function callDto(r: CallRow): CallDto {
  return {
    id: r.id,
    callSid: r.call_sid,
    channelId: r.channel_id,
    direction: r.direction,
    from: r.from_number,
    to: r.to_number,
    status: r.status as CallDto['status'],
    answeredBy: (r.answered_by as CallDto['answeredBy']) ?? null,
    contactId: r.contact_id,
    conversationId: r.conversation_id,
    workflowId: r.workflow_id,
    flowId: r.flow_id,
    flowVersion: r.flow_version,
    path: r.path ?? [],
    currentNodeId: r.current_node_id,
    recordingKeys: r.recording_keys ?? [],
    durationSeconds: r.duration_seconds,
    error: r.error,
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    createdAt: iso(r.created_at)!,
  };
}

export const callRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['calls'];

    app.post(
      '/v1/calls',
      {
        schema: { tags, summary: 'Place an outbound call that runs a flow (answering-machine detection passed through to Twilio)', body: placeCallBody, response: { 201: callSchema, ...errorResponses } },
      },
      async (request, reply) => {
        try {
          return reply.status(201).send(callDto(await placeOutboundCall(deps, request.tenantId, request.body)));
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          // Twilio refused (a bad number, an unverified caller id) or is down: the caller decides.
          throw new AppError(err.retryable ? 'upstream_unavailable' : 'bad_request', err.message, { field: err.retryable ? 'provider' : 'to' });
        }
      },
    );

    app.get('/v1/calls', { schema: { tags, summary: 'Calls, newest first (status, direction, contact and conversation filters)', querystring: callListQuery, response: { 200: callList, ...errorResponses } } }, async (request) => {
      const q = request.query;
      const c = q.cursor ? decodeCursor(q.cursor) : null;
      const rows = await listCalls(deps.orm, request.tenantId, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.direction ? { direction: q.direction } : {}),
        ...(q.contactId ? { contactId: q.contactId } : {}),
        ...(q.conversationId ? { conversationId: q.conversationId } : {}),
        ...(c ? { before: { createdAt: new Date(c.t), id: c.id } } : {}),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return { items: page.map(callDto), nextCursor: rows.length > q.limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
    });

    app.get('/v1/calls/:id', { schema: { tags, summary: 'A call: status, duration, the path of nodes, recordings', params: uuidParam, response: { 200: callSchema, ...errorResponses } } }, async (request) => {
      const row = isUuid(request.params.id) ? await getCall(deps.orm, request.tenantId, request.params.id) : null;
      if (!row) throw new AppError('not_found', 'call not found', { field: 'id' });
      return callDto(row);
    });
  };
