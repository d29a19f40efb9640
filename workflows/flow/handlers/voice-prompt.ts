/** What menu and gather share: the prompt spoken inside a `<Gather>` (so the caller may answer over it), or said in a chat. */
import type { GatherVerb, PromptVerb } from '../../../core/voice/types';
import type { FlowRuntime } from '../types';

export interface Listen {
  input: GatherVerb['input'];
  timeoutSeconds: number;
  numDigits?: number;
  finishOnKey?: string;
  hints?: string[];
  voiceProfileId?: string | null;
  language?: string;
}

/** Speaks `lines` (the last one is the question) and listens; in a chat sends them as messages. */
export async function promptAndListen(rt: FlowRuntime, nodeId: string, lines: string[], listen: Listen): Promise<void> {
  const text = lines.filter(Boolean);
  if (!rt.call) {
    for (const line of text) await rt.say(nodeId, line, 'template');
    return;
  }
  const prompt: PromptVerb[] = [];
  for (const line of text) prompt.push(await rt.call.speech(nodeId, line, { voiceProfileId: listen.voiceProfileId ?? null, language: listen.language }));
  rt.call.verb({
    verb: 'gather',
    input: listen.input,
    action: rt.call.callbackUrl('gather', nodeId),
    timeout: listen.timeoutSeconds,
    ...(listen.input.includes('speech') ? { speechTimeout: 'auto' as const } : {}),
    ...(listen.numDigits ? { numDigits: listen.numDigits } : {}),
    ...(listen.finishOnKey !== undefined ? { finishOnKey: listen.finishOnKey } : {}),
    ...(listen.hints?.length ? { hints: listen.hints } : {}),
    ...(listen.language ? { language: listen.language } : {}),
    prompt,
  });
}

/** The caller's answer in a gather event: keys first, else speech; '' for silence. */
export const heard = (ev: { kind: string; digits?: string | null; speech?: string | null }): string => (ev.kind === 'gather' ? (ev.digits ?? ev.speech ?? '').trim() : '');
