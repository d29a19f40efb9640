/**
 * Taking a call over from the inbox (agents and admins): the live call is given new TwiML through
 * Twilio's "modify a live call" (`POST …/Calls/{CallSid}.json` with `Twiml`) that says who takes
 * it and `<Dial>`s the agent's phone (their own, Settings → Users, or the number sent). The call
 * leaves its flow: the node it waited on hears nothing more, and the call's final status closes
 * its run. Tenant-scoped: another tenant's call is not found.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { z } from 'zod';
import { phoneSchema } from '../../core/api/admin';
import { errorResponses, uuidParam } from '../../core/api/common';
import { AppError } from '../../core/errors';
import { FINAL_CALL_STATUSES, type CallStatus } from '../../core/voice/types';
import { adapterEnv } from '../../channels/registry';
import { channelLoader } from '../../channels/directory';
import { ProviderError } from '../../channels/types';
import { voiceAuth, type VoiceChannel } from '../../channels/voice/adapter';
import { getUser } from '../../db/repos';
import { getCall } from '../../voice/store';
import { modifyCall } from '../../voice/twilio-calls';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';

export const takeOverBody = z.object({ phone: phoneSchema.optional().describe("Where the call rings; default the signed-in user's phone") }).strict();
export const takeOverResult = z.object({ callId: z.string(), callSid: z.string(), to: z.string(), status: z.string() });

/** The TwiML the caller hears from now on: who takes the call, then the agent's phone rings. */
export function takeOverTwiml(agentName: string | null, phone: string): string {
  const r = new VoiceResponse();
  r.say(agentName ? `Please hold: ${agentName} is taking your call.` : 'Please hold: a member of our team is taking your call.');
  r.dial({ timeout: 30 }, phone);
  return r.toString();
}

export const callTakeOverRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const channels = channelLoader(deps.orm, deps.config);
    app.post(
      '/v1/calls/:id/take-over',
      {
        schema: {
          tags: ['calls'],
          summary: "Take a live call over: it leaves its flow and rings the agent's phone",
          description: "Twilio's live-call modify with new TwiML (a short notice, then `<Dial>` to the phone). Without `phone`, the signed-in user's phone (Settings → Users) is dialled.",
          params: uuidParam,
          body: takeOverBody,
          response: { 200: takeOverResult, ...errorResponses },
        },
      },
      async (request) => {
        const call = await getCall(deps.orm, request.tenantId, request.params.id);
        if (!call) throw new AppError('not_found', 'call not found', { field: 'id' });
        if (!call.call_sid || call.ended_at || FINAL_CALL_STATUSES.includes(call.status as CallStatus)) throw new AppError('conflict', `the call is ${call.status}: only a live call can be taken over`, { field: 'id' });
        const user = request.principal.userId ? await getUser(request.em, request.principal.userId) : null;
        const phone = request.body.phone ?? user?.phone ?? null;
        if (!phone) throw new AppError('bad_request', 'send the phone to ring, or set yours in Settings → Users', { field: 'phone' });
        const loaded = call.channel_id ? await channels.get(call.channel_id) : null;
        if (!loaded || loaded.row.tenant !== request.tenantId || loaded.row.type !== 'voice') throw new AppError('conflict', 'the call’s voice channel no longer exists', { field: 'id' });
        try {
          await modifyCall(voiceAuth(adapterEnv(deps.config), loaded.config as unknown as VoiceChannel), call.call_sid, { twiml: takeOverTwiml(user?.name ?? null, phone) });
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          // Twilio refused (the call ended meanwhile, a bad number) or is down.
          throw new AppError(err.retryable ? 'upstream_unavailable' : 'conflict', `Twilio refused the take-over: ${err.message}`, { field: err.retryable ? 'provider' : 'id' });
        }
        recordChange(request, { targetType: 'call', targetId: call.id, after: { takenOverTo: phone } });
        return { callId: call.id, callSid: call.call_sid, to: phone, status: call.status };
      },
    );
  };
