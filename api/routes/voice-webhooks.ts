/**
 * Twilio Voice webhooks of a voice channel: `POST /v1/webhooks/voice/:channelId` (a call was
 * answered: inbound, or an outbound call placed by POST /v1/calls) and the callbacks its TwiML names
 * (`…/gather`, `…/dial`, `…/record`, `…/recording`) plus the status callback (`…/status`). Each
 * request is verified (X-Twilio-Signature), turned into a CallEvent and sent to the call's
 * `ivrCall` workflow as the `callEvent` update (update-with-start for the first); the verbs it
 * answers with go back as TwiML. The channel (decrypted credentials) and the flow's latest version
 * are cached in memory, so a webhook costs the signature check and one update, nothing else.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { channelLoader } from '../../channels/directory';
import { verifyVoiceRequest, type VoiceChannel } from '../../channels/voice/adapter';
import type { InboundRequest } from '../../channels/types';
import { AppError } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { CALLBACK_KINDS, FINAL_CALL_STATUSES, type CallAnswer, type CallbackKind, type CallEvent } from '../../core/voice/types';
import type { ValidGraph } from '../../core/graph/schema';
import { tenantEm } from '../../db/orm';
import { getFlowVersion } from '../../db/repos';
import { pinnedFlow } from '../../temporal/pinned-flows';
import { parseCallEvent } from '../../voice/events';
import { outboundCallContext } from '../../voice/store';
import { renderTwiml } from '../../voice/twiml';
import type { AppDeps } from '../deps';

/** Twilio gives up on a webhook after 15 s; the update must answer before that. */
const UPDATE_DEADLINE_MS = 12_000;
/** How long the latest published version of a channel's flow is trusted (a publish reaches new calls within this). */
const LATEST_TTL_MS = 5_000;

const SORRY = 'Sorry, we cannot take your call right now. Please try again later.';
const NO_FLOW = 'This number is not connected to a flow yet. Goodbye.';

const params = z.object({ channelId: z.string().max(64) });
const callbackParams = z.object({ channelId: z.string().max(64), kind: z.enum(CALLBACK_KINDS) });
const query = z.object({ node: z.string().max(200).optional(), call: z.string().max(64).optional() });

export const voiceWebhookRoutes = (deps: AppDeps) => async (app: FastifyInstance) => {
  const channels = channelLoader(deps.orm, deps.config);
  const latest = new Map<string, { version: number; until: number }>();

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  async function load(request: FastifyRequest, subPath: string) {
    const { channelId } = request.params as { channelId: string };
    const loaded = isUuid(channelId) ? await channels.get(channelId) : null;
    if (!loaded || loaded.row.type !== 'voice') throw new AppError('not_found', 'channel not found', { field: 'channelId' });
    const channel = loaded.config as unknown as VoiceChannel;
    const q = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const inbound: InboundRequest = {
      method: 'POST',
      url: `${channel.webhookUrl}${subPath}${q}`,
      headers: request.headers as Record<string, string | undefined>,
      query: request.query as Record<string, string | undefined>,
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    };
    const form = verifyVoiceRequest(inbound, channel, subPath);
    const accountSid = Array.isArray(form.AccountSid) ? form.AccountSid[0] : form.AccountSid;
    if (accountSid && accountSid !== channel.credentials.accountSid) throw new AppError('forbidden', 'AccountSid is not this channel’s account', { field: 'AccountSid' });
    return { row: loaded.row, channel, form };
  }

  /** The graph a new call runs: the channel's flow at its latest published version (or the outbound call's own). */
  async function flowFor(tenantId: string, flowId: string, version: number | null): Promise<{ flowId: string; version: number; graph: ValidGraph } | null> {
    let v = version;
    if (v === null) {
      const hit = latest.get(flowId);
      if (hit && hit.until > Date.now()) v = hit.version;
      else {
        const found = await getFlowVersion(tenantEm(deps.orm, tenantId), flowId);
        if (!found) return null;
        latest.set(flowId, { version: found.version, until: Date.now() + LATEST_TTL_MS });
        v = found.version;
      }
    }
    const pinned = await pinnedFlow(tenantId, flowId, v, async () => {
      const found = await getFlowVersion(tenantEm(deps.orm, tenantId), flowId, v!);
      if (!found) throw new AppError('not_found', `flow version ${v} not found`);
      return found;
    });
    return { flowId, version: pinned.version, graph: pinned.graph };
  }

  function send(reply: FastifyReply, answer: CallAnswer | null): FastifyReply {
    return reply.type('text/xml').send(renderTwiml(answer ? answer.verbs : [{ verb: 'hangup' }]));
  }

  async function dispatch(request: FastifyRequest, reply: FastifyReply, kind: CallbackKind | null) {
    const { row, channel, form } = await load(request, kind ? `/${kind}` : '');
    const q = query.parse(request.query ?? {});
    const event: CallEvent = parseCallEvent(kind, form, q.node ?? null);
    const tenantId = row.tenant;
    try {
      const answer = await deps.temporal.withDeadline(Date.now() + UPDATE_DEADLINE_MS, async () => {
        // Later webhooks go to the running call; the first, and the final status of a call never answered, may start it.
        const final = event.kind === 'status' && event.callStatus !== null && FINAL_CALL_STATUSES.includes(event.callStatus);
        if (kind !== null && !final) return deps.workflows.ivrCall.update(tenantId, event.callSid, event);
        const outbound = q.call && isUuid(q.call) ? await outboundCallContext(deps.orm, tenantId, q.call) : null;
        const flowId = outbound?.flowId ?? row.flow;
        const flow = flowId ? await flowFor(tenantId, flowId, outbound?.flowVersion ?? null) : null;
        if (!flow) return kind === 'status' ? null : ({ verbs: [{ verb: 'say', text: NO_FLOW }, { verb: 'hangup' }], status: null } satisfies CallAnswer);
        const answered = event.kind === 'answered' ? event : null;
        return deps.workflows.ivrCall.event(
          {
            tenantId,
            channelId: row.id,
            callSid: event.callSid,
            direction: outbound ? 'outbound' : (answered?.direction ?? 'inbound'),
            from: answered?.from ?? outbound?.from ?? '',
            to: answered?.to ?? outbound?.to ?? '',
            flowId: flow.flowId,
            flowVersion: flow.version,
            graph: flow.graph,
            callbackBase: channel.webhookUrl,
            voiceProfileId: channel.settings.voiceProfileId ?? null,
            ...(outbound ? { contactId: outbound.contactId, variables: outbound.variables, callId: q.call } : {}),
          },
          event,
        );
      });
      if (kind === 'status' || (kind === 'recording' && answer)) return reply.status(204).send();
      return send(reply, answer);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) throw err;
      // The caller hears an apology rather than Twilio's "application error"; the log has the reason.
      request.log.error({ err, callSid: event.callSid, kind: kind ?? 'answered' }, 'call webhook not answered by its workflow');
      if (kind === 'status' || kind === 'recording') throw err;
      return reply.type('text/xml').send(renderTwiml([{ verb: 'say', text: SORRY }, { verb: 'hangup' }]));
    }
  }

  const config = { public: true };
  // Request logs would cost time on the hottest route of a call.
  const logLevel = 'warn';
  const tags = ['webhooks'];
  app.post('/v1/webhooks/voice/:channelId', { config, logLevel, schema: { tags, params, summary: 'Twilio Voice: a call was answered; answered with the TwiML of its ivrCall workflow' } }, (request, reply) =>
    dispatch(request, reply, null),
  );
  app.post('/v1/webhooks/voice/:channelId/:kind', { config, logLevel, schema: { tags, params: callbackParams, summary: 'Twilio Voice callbacks (gather, dial, record, recording, status) of a call' } }, (request, reply) =>
    dispatch(request, reply, (request.params as { kind: CallbackKind }).kind),
  );
};
