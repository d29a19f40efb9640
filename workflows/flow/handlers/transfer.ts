/**
 * transfer: `<Dial>`s a number, a SIP address or the human agents, and waits for Twilio's Dial
 * action (`DialCallStatus`). A warm transfer's whisper is TwiML the answering party hears first
 * (`<Number url>`, signed by the prepareTransfer activity). The human agents are tried one after
 * another in a stable order (a hunt group: Twilio's `<Dial>` here rings one number), each for the
 * node's ring time; the first who answers takes the call. Result edges: `completed` (the call was
 * bridged and has ended), `busy`, `noAnswer`, `failed`; busy and noAnswer follow `failed` when
 * unconnected. Outside a call the node follows `failed` (nobody to transfer).
 */
import { renderTemplate } from '../../../core/template';
import type { CallEvent, DialVerb } from '../../../core/voice/types';
import type { FlowRuntime, NodeHandler, NodeOf, Outcome } from '../types';

type Transfer = NodeOf<'transfer'>;
const E164 = /^\+[1-9]\d{6,14}$/;
const SIP = /^sips?:[^\s@]+@\S+$/i;

/** A result edge, or `failed` in its place when it is not connected. */
const edge = (rt: FlowRuntime, node: Transfer, handle: 'busy' | 'noAnswer' | 'failed' | 'completed', output: Record<string, unknown>): Outcome =>
  ({ kind: 'follow', handle: handle === 'completed' || handle === 'failed' || rt.graph.target(node.id, handle) ? handle : 'failed', output });

/** Where the transfer goes: rendered and checked; a string is what is wrong. */
async function destinations(node: Transfer, rt: FlowRuntime, whisper: string): Promise<{ targets: { number?: string; sip?: string }[]; whisperUrl: string | null } | string> {
  const prepared = await rt.activities.call(node.id, 'prepareTransfer', { tenantId: rt.tenantId, agents: node.data.target === 'agents', whisper });
  if (node.data.target === 'agents') {
    if (!prepared.agentNumbers.length) return 'no agent has a phone number (Settings → Users)';
    return { targets: prepared.agentNumbers.map((number) => ({ number })), whisperUrl: prepared.whisperUrl };
  }
  if (node.data.target === 'sip') {
    const sip = renderTemplate(node.data.sipUri ?? '', rt.variables).trim();
    return SIP.test(sip) ? { targets: [{ sip }], whisperUrl: prepared.whisperUrl } : `"${sip}" is not a SIP address`;
  }
  const number = renderTemplate(node.data.number ?? '', rt.variables).replace(/[\s()-]/g, '');
  return E164.test(number) ? { targets: [{ number }], whisperUrl: prepared.whisperUrl } : `"${number}" is not an E.164 phone number`;
}

async function dial(node: Transfer, rt: FlowRuntime, attempt: number, announce: boolean): Promise<Outcome> {
  const call = rt.call!;
  const whisper = node.data.whisper ? renderTemplate(node.data.whisper, rt.variables) : '';
  const where = await destinations(node, rt, whisper);
  if (typeof where === 'string') return edge(rt, node, 'failed', { error: where });
  const target = where.targets[attempt];
  if (!target) return edge(rt, node, 'noAnswer', { tried: where.targets.length });
  if (announce && node.data.announcement) call.verb(await call.speech(node.id, renderTemplate(node.data.announcement, rt.variables)));
  const verb: DialVerb = {
    verb: 'dial',
    action: call.callbackUrl('dial', node.id),
    timeout: node.data.timeoutSeconds,
    ...target,
    ...(where.whisperUrl ? { whisperUrl: where.whisperUrl } : {}),
  };
  call.verb(verb);
  return { kind: 'await', retries: attempt, output: { dialing: target.number ?? target.sip, attempt: attempt + 1, of: where.targets.length } };
}

export const transfer: NodeHandler<'transfer'> = {
  async run(node, rt) {
    if (!rt.call) return edge(rt, node, 'failed', { error: 'not a phone call' });
    return dial(node, rt, 0, true);
  },

  async event(node, rt, event: CallEvent, retries) {
    if (event.kind !== 'dial') return edge(rt, node, 'failed', { error: `expected the dial result, got a ${event.kind} callback` });
    const status = event.dialCallStatus;
    const output = { dialCallStatus: status, dialCallSid: event.dialCallSid, dialCallDuration: event.dialCallDuration, attempt: retries + 1 };
    if (status === 'completed' || status === 'answered') return edge(rt, node, 'completed', output);
    // The human agents: the next one rings when this one is busy or does not answer.
    if (node.data.target === 'agents' && (status === 'busy' || status === 'no-answer' || status === 'failed')) {
      const next = await dial(node, rt, retries + 1, false);
      if (next.kind === 'await') return next;
      if (status !== 'failed') return edge(rt, node, status === 'busy' ? 'busy' : 'noAnswer', output);
    }
    if (status === 'busy') return edge(rt, node, 'busy', output);
    if (status === 'no-answer') return edge(rt, node, 'noAnswer', output);
    return edge(rt, node, 'failed', output);
  },
};
