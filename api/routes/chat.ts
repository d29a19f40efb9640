/**
 * Web chat: `POST /v1/chat/sessions` (API key) mints a signed token for one conversation;
 * `GET /v1/chat?token=` upgrades to a WebSocket that sends the contact's messages through the
 * conversation workflow and relays everything published for that conversation (bot replies,
 * streamed deltas, agent messages) as it happens.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../core/api/common';
import { chatSessionBody } from '../../core/api/conversations';
import { chatSocketFrame, type ChatSocketFrame } from '../../core/api/widget';
import { AppError } from '../../core/errors';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../../core/text';
import { tenantEm } from '../../db/orm';
import { createConversation } from '../../db/repos';
import { requireConversation, requireConversationRef, requireLatestPinnedFlow } from '../services/lookups';
import { liveChannel, publishLive } from '../../events/live';
import { signChatToken, verifyChatToken } from '../services/chat-token';
import { deliveredCursor, historyFrame, withStoredContent } from '../services/widget-history';
import { fileLinks } from '../services/message-content';
import { sendTurn } from '../services/turns';
import { tracedSocketTurn } from '../plugins/tracing';
import type { AppDeps } from '../deps';
import type { GuardedSocket, LiveSockets } from '../services/socket-guard';

const TOKEN_TTL_SECONDS = 12 * 3600;

export const chatRoutes =
  (deps: AppDeps, live: LiveSockets): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/chat/sessions',
      {
        schema: {
          tags: ['chat'],
          summary: 'A web-chat session token for a new conversation (flowId) or an existing one (conversationId)',
          body: chatSessionBody,
          response: { 201: z.object({ token: z.string(), conversationId: z.string(), expiresAt: z.string() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { flowId, conversationId } = request.body;
        let id: string;
        if (conversationId) {
          id = (await requireConversation(request.em, conversationId, 'conversationId')).id;
        } else {
          const pinned = await requireLatestPinnedFlow(request.em, request.tenantId, flowId!);
          const conversation = await createConversation(request.em, request.tenantId, { flowId: flowId!, flowVersion: pinned.version, channel: 'webchat' });
          await deps.workflows.conversation.start(request.tenantId, conversation.id, pinned, 'webchat');
          id = conversation.id;
        }
        const exp = Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS;
        const token = signChatToken(deps.secretKey, { tenantId: request.tenantId, conversationId: id, exp });
        return reply.status(201).send({ token, conversationId: id, expiresAt: new Date(exp * 1000).toISOString() });
      },
    );

    app.get(
      '/v1/chat',
      // The socket carries its own signed token: a browser cannot set headers on a WebSocket.
      {
        websocket: true,
        config: { public: true },
        schema: {
          tags: ['chat'],
          summary: 'WebSocket: send {"text", "clientId"?} or {"type":"typing","typing"}; receive history (after `since` when given), message, delta, typing, error frames',
          querystring: z.object({ token: z.string().min(1).max(2000), since: z.uuid({ message: 'since must be a message id' }).optional() }),
        },
      },
      async (socket, request) => {
        const send = (frame: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(frame));
        let session;
        try {
          session = verifyChatToken(deps.secretKey, (request.query as { token: string }).token);
        } catch (err) {
          send({ type: 'error', error: (err as AppError).toJSON?.() ?? { code: 'unauthorized', message: 'invalid token' } });
          socket.close(4401, 'unauthorized');
          return;
        }
        const { tenantId, conversationId } = session;
        const guarded = live.gate.admit(socket, { tenantId, token: (request.query as { token: string }).token, ip: request.ip });
        if (!guarded) return;
        const delivered = deliveredCursor();
        const sendTracked = (frame: unknown) => (delivered.see(frame), send(frame));
        const links = fileLinks(deps);
        const history = (since?: string) => historyFrame(tenantEm(deps.orm, tenantId), conversationId, since, links);
        // After a gap in the live feed (Redis restarted), what the socket missed comes as history.
        const catchUp = () =>
          void history(delivered.since)
            .then(sendTracked)
            .catch((err) => request.log.warn({ err }, 'chat catch-up failed'));
        // Subscribe before reading the history: a message published in between arrives twice
        // (clients dedupe by id) rather than never.
        const ready = live.hub
          .subscribe(liveChannel(tenantId, conversationId), relayLive(sendTracked, (frame) => withStoredContent(tenantEm(deps.orm, tenantId), conversationId, frame, links), request.log), catchUp)
          .then((unsubscribe) => (socket.readyState === socket.OPEN ? socket.once('close', unsubscribe) : unsubscribe()))
          .then(() => history((request.query as { since?: string }).since))
          .then(sendTracked);
        const typing = (on: boolean) => publishLive(deps.redis, tenantId, conversationId, { type: 'typing', author: 'contact', typing: on });
        // The listener is attached before anything is awaited: the client may send as soon as the
        // socket opens, and a frame that arrives with no listener is gone. Turns wait for `ready`.
        handleIncoming(guarded, ready, typing, (frame) => tracedSocketTurn('/v1/chat', tenantId, async () => {
          const em = tenantEm(deps.orm, tenantId);
          const conversation = await requireConversationRef(em, tenantId, conversationId);
          // The clientId is the turn's idempotency key (its Temporal update id), so a resend after a
          // reconnect — even one to another API process after this one died mid-turn — joins the
          // first turn instead of starting a second, and a turn that never started still runs.
          await sendTurn(deps, em, tenantId, conversation, frame.text, frame.clientId);
        }), send, request.log);
        try {
          await ready;
        } catch (err) {
          request.log.warn({ err }, 'chat socket could not start');
          send({ type: 'error', error: { code: 'unavailable', message: 'the chat could not be started; reconnect' } });
          socket.close(1011, 'unavailable');
        }
      },
    );
  };

/**
 * Forwards published frames, in order; marks a stream `reset` when a retried LLM attempt starts
 * over, and gives `message` frames the stored message's content (files, location, delivery state).
 */
function relayLive(send: (frame: unknown) => void, withContent: (frame: { message: { id: string } }) => Promise<unknown>, log: { warn: (o: object, m: string) => void }) {
  const attempts = new Map<string, number>();
  let queue = Promise.resolve();
  return (raw: string) => {
    let frame: { type?: string; streamKey?: string; attempt?: number; reset?: boolean; message?: { id: string } };
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (frame.type === 'delta' && frame.streamKey) {
      const seen = attempts.get(frame.streamKey);
      if (seen !== undefined && frame.attempt !== undefined && frame.attempt !== seen) frame.reset = true;
      attempts.set(frame.streamKey, frame.attempt ?? 1);
    }
    const message = frame.type === 'message' && frame.message?.id ? { ...frame, message: frame.message } : null;
    queue = queue
      .then(async () => send(message ? await withContent(message).catch(() => message) : frame))
      .catch((err) => log.warn({ err }, 'chat live frame failed'));
  };
}

/** Frames from the socket (contact messages, typing), one at a time in arrival order, turns once `ready`. */
function handleIncoming(
  socket: GuardedSocket,
  ready: Promise<unknown>,
  typing: (on: boolean) => Promise<void>,
  turn: (frame: Extract<ChatSocketFrame, { text: string }>) => Promise<void>,
  send: (frame: unknown) => void,
  log: { warn: (o: object, m: string) => void },
) {
  // A failed start closes the socket, and the turns queued on it are dropped with it.
  const started = ready.then(() => true, () => false);
  let queue: Promise<unknown> = started;
  socket.onFrame((raw) => {
    let frame: ChatSocketFrame;
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(raw));
      frame = chatSocketFrame.parse(parsed);
    } catch {
      // Refused, not stripped: the person typing is there to see why and send it again.
      const text = (parsed as { text?: unknown } | null | undefined)?.text;
      const message = typeof text === 'string' && !isStorableText(text) ? `text ${UNSTORABLE_TEXT_MESSAGE}` : 'send {"text": "..."} with non-empty text';
      send({ type: 'error', error: { code: 'validation_failed', message, field: 'text' } });
      return;
    }
    // Typing is not queued behind a turn that may be waiting on the model.
    if (frame.type === 'typing') return void typing(frame.typing).catch((err) => log.warn({ err }, 'could not publish typing'));
    const message = frame;
    queue = queue.then(async () => {
      if (!(await started)) return;
      await turn(message).catch((err) => {
        // A quota refusal's details say which quota and when to send again.
        const error = err instanceof AppError ? { ...err.toJSON(), ...(err.code === 'quota_exceeded' ? { details: err.details } : {}) } : { code: 'internal', message: 'the message could not be processed' };
        if (!(err instanceof AppError)) log.warn({ err }, 'chat turn failed');
        send({ type: 'error', error });
      });
    });
  });
}
