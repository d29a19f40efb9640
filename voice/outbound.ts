/**
 * Placing an outbound call, for the API (POST /v1/calls) and for flows (the placeCall node's
 * activity): the contact and flow are resolved, the call row written, then Twilio's Calls API asked
 * with the call's webhook as its Url (the row id in it) and machine detection passed through. A
 * refusal fails the row and is thrown as a ProviderError with Twilio's code and message.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import type { PlaceCallBody } from '../core/api/calls';
import { channelLoader } from '../channels/directory';
import { adapterEnv } from '../channels/registry';
import { ProviderError } from '../channels/types';
import { voiceAuth, type VoiceChannel } from '../channels/voice/adapter';
import { getCall, insertOutboundCall, outboundTargets, settleOutboundCall, type CallRow } from './store';
import { placeCall } from './twilio-calls';

export async function placeOutboundCall(deps: { orm: MikroORM; config: Config }, tenantId: string, body: PlaceCallBody & { idempotencyKey?: string }): Promise<CallRow> {
  const loaded = await channelLoader(deps.orm, deps.config).get(body.channelId);
  if (!loaded || loaded.row.tenant !== tenantId || loaded.row.type !== 'voice') throw new AppError('not_found', 'voice channel not found', { field: 'channelId' });
  const channel = loaded.config as unknown as VoiceChannel;
  const from = body.from ?? channel.settings.numbers?.[0];
  if (!from || !channel.settings.numbers?.includes(from)) throw new AppError('bad_request', "from must be one of the channel's numbers", { field: 'from' });
  const flowId = body.flowId ?? loaded.row.flow;
  if (!flowId) throw new AppError('bad_request', 'the channel has no flow: name one in flowId', { field: 'flowId' });
  const target = await outboundTargets(deps.orm, tenantId, { flowId, contactId: body.contactId ?? null, to: body.to });
  const inserted = await insertOutboundCall(deps.orm, {
    tenantId,
    channelId: loaded.row.id,
    from,
    to: body.to,
    flowId,
    flowVersion: target.flowVersion,
    contactId: target.contactId,
    variables: body.variables ?? {},
    machineDetection: body.machineDetection ?? null,
    idempotencyKey: body.idempotencyKey ?? null,
  });
  // A retried request (same key) finds the call it placed: never a second call.
  if (!inserted.created) return (await getCall(deps.orm, tenantId, inserted.id))!;
  try {
    const placed = await placeCall(voiceAuth(adapterEnv(deps.config), channel), {
      to: body.to,
      from,
      url: `${channel.webhookUrl}?call=${inserted.id}`,
      statusCallback: `${channel.webhookUrl}/status?call=${inserted.id}`,
      ...(body.machineDetection ? { machineDetection: body.machineDetection } : {}),
      ...(body.asyncAmd ? { asyncAmd: true, asyncAmdStatusCallback: `${channel.webhookUrl}/status?call=${inserted.id}` } : {}),
      ...(body.timeoutSeconds ? { timeout: body.timeoutSeconds } : {}),
    });
    await settleOutboundCall(deps.orm, tenantId, inserted.id, { callSid: placed.sid });
  } catch (err) {
    if (err instanceof ProviderError) await settleOutboundCall(deps.orm, tenantId, inserted.id, { error: err.message });
    throw err;
  }
  return (await getCall(deps.orm, tenantId, inserted.id))!;
}
