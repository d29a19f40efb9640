/**
 * Inbox actions beyond the conversation routes: agent typing (relayed to the web chat), closing a
 * conversation, and `GET /v1/inbox/live`, a WebSocket of the tenant's conversation changes.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { typingBody } from '../../core/api/inbox';
import { AppError } from '../../core/errors';
import { publishLive } from '../../events/live';
import { followTenantFeed } from '../services/inbox';
import { requireConversationRef } from '../services/lookups';
import type { AppDeps } from '../deps';
import type { LiveSockets } from '../services/socket-guard';

export const inboxRoutes =
  (deps: AppDeps, live: LiveSockets): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['inbox'];

    // Browsers send cookies on cross-site WebSocket handshakes that SameSite does not cover
    // (same-site subdomains): the console's socket must come from the API's own origin.
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.url !== '/v1/inbox/live' || !request.headers.origin) return;
      if (originHost(request.headers.origin) !== request.headers.host) {
        throw new AppError('forbidden', 'the inbox socket only accepts the console’s own origin', { field: 'origin' });
      }
    });

    app.post(
      '/v1/conversations/:id/typing',
      { schema: { tags, summary: 'The agent is (or stopped) typing: the contact’s web chat shows it', params: uuidParam, body: typingBody, response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        const conversation = await requireConversationRef(request.em, request.tenantId, request.params.id);
        await publishLive(deps.redis, request.tenantId, conversation.id, { type: 'typing', author: 'agent', typing: request.body.typing, name: request.principal.displayName });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/conversations/:id/close',
      { schema: { tags, summary: 'Close the conversation (its workflow ends; a new contact message starts it again)', params: uuidParam, response: { 202: z.object({ ok: z.literal(true) }), ...errorResponses } } },
      async (request, reply) => {
        const conversation = await requireConversationRef(request.em, request.tenantId, request.params.id);
        await deps.workflows.conversation.close(conversation.workflowId);
        return reply.status(202).send({ ok: true });
      },
    );

    app.get(
      '/v1/inbox/live',
      {
        websocket: true,
        schema: { tags, summary: 'WebSocket (session cookie or API key): {type:"conversation", conversation} and {type:"message", conversationId, message} frames for the tenant' },
      },
      async (socket, request) => {
        const { principal } = request;
        // The auth hook guarantees a principal; a socket without one is never served.
        if (!principal) return void socket.close(4401, 'unauthorized');
        const guarded = live.gate.admit(socket, { tenantId: request.tenantId, token: principal.sessionId ?? principal.label, ip: request.ip });
        if (!guarded) return;
        // Clients send nothing here; frames still count, so a flood is cut off.
        guarded.onFrame(() => {});
        const send = (frame: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(frame));
        const stop = await followTenantFeed(deps, live.hub, request.tenantId, send, request.log);
        socket.on('close', stop);
        if (socket.readyState !== socket.OPEN) stop();
        else send({ type: 'ready' });
      },
    );
  };

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
