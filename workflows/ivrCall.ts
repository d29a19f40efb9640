/**
 * `ivrCall`: one phone call, inbound or outbound, run by the flow interpreter like a chat
 * (workflows/voice/). Started by the call's first webhook (update-with-start of `callEvent`);
 * every later webhook (gather, dial, record, status) is a `callEvent` update answered with the
 * call's next TwiML verbs. A worker that dies between two webhooks loses nothing: the next
 * webhook's update is delivered to whichever worker picks the run up.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { CALL_STATUSES, type CallEvent } from '../core/voice/types';
import { callEventUpdate, callStateQuery, type IvrCallInput } from './messages';
import { setRunAttributes } from './runtime/search-attributes';
import { CallSession } from './voice/call-session';

/** Twilio ends a call after 4 hours; a run whose final status never came is closed a little later. */
export const MAX_CALL_MS = 4 * 3600_000 + 10 * 60_000;

export async function ivrCall(input: IvrCallInput): Promise<void> {
  const s = new CallSession(input);
  // Handlers first, before any await: update-with-start delivers the first webhook with the start.
  setHandler(callEventUpdate, (ev) => s.event(ev), { validator: validateEvent });
  setHandler(callStateQuery, () => s.state());
  setRunAttributes({ TenantId: input.tenantId, FlowId: input.flowId, FlowVersion: input.flowVersion, Channel: 'voice', Stage: 'ringing' });

  const over = await condition(() => s.ended, MAX_CALL_MS);
  if (!over) await s.expire();
  // The last webhook's transcript is stored after its answer: wait for it, and for every handler.
  await condition(() => s.idle && allHandlersFinished());
}

const KINDS = new Set(['answered', 'gather', 'dial', 'record', 'status']);

function validateEvent(ev: CallEvent): void {
  if (!ev || typeof ev !== 'object' || !KINDS.has(ev.kind)) throw new Error('kind must be one of answered, gather, dial, record, status');
  if (typeof ev.callSid !== 'string' || !ev.callSid) throw new Error('callSid is required');
  if (ev.callStatus !== null && !(CALL_STATUSES as readonly string[]).includes(ev.callStatus)) throw new Error('callStatus is not a Twilio call status');
}
