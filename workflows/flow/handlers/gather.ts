/**
 * Gather: the prompt inside a `<Gather>` of digits and/or speech; the answer is validated like
 * Ask's (core/answers.ts) and stored in the variable. An invalid answer is told why and asked
 * again up to maxRetries, then `invalid`; silence likewise, then `noInput`. In a chat it asks like Ask.
 */
import { validateAnswer } from '../../../core/answers';
import { renderTemplate } from '../../../core/template';
import type { CallEvent } from '../../../core/voice/types';
import type { FlowRuntime, NodeHandler, NodeOf, Outcome } from '../types';
import { heard, promptAndListen } from './voice-prompt';

type Gather = NodeOf<'gather'>;

const INPUTS = { digits: ['dtmf'], speech: ['speech'], both: ['dtmf', 'speech'] } as const;
const SILENCE = 'Sorry, I did not hear anything.';

function ask(node: Gather, rt: FlowRuntime, before: string | null): Promise<void> {
  const { data } = node;
  return promptAndListen(rt, node.id, [before ?? '', renderTemplate(data.prompt, rt.variables)], {
    input: [...INPUTS[data.input]],
    timeoutSeconds: data.timeoutSeconds,
    ...(data.numDigits ? { numDigits: data.numDigits } : {}),
    finishOnKey: data.finishOnKey,
    ...(data.inputType === 'choice' && data.choices ? { hints: data.choices } : {}),
    voiceProfileId: data.voiceProfileId ?? null,
    language: data.language,
  });
}

async function decide(node: Gather, rt: FlowRuntime, raw: string, retries: number): Promise<Outcome> {
  const { data } = node;
  if (!raw) {
    if (retries >= data.maxRetries) return { kind: 'follow', handle: 'noInput' };
    await ask(node, rt, SILENCE);
    return { kind: 'await', retries: retries + 1 };
  }
  const result = validateAnswer(raw, data);
  if (result.ok) {
    rt.variables[data.variable] = result.value;
    return { kind: 'follow', handle: 'next', output: { [data.variable]: result.value } };
  }
  if (retries >= data.maxRetries) return { kind: 'follow', handle: 'invalid', output: { invalid: raw } };
  await ask(node, rt, data.retryPrompt ? renderTemplate(data.retryPrompt, rt.variables) : result.reason);
  return { kind: 'await', retries: retries + 1, output: { invalid: raw } };
}

export const gather: NodeHandler<'gather'> = {
  async run(node, rt) {
    await ask(node, rt, null);
    return { kind: 'await', retries: 0 };
  },
  event: (node, rt, ev: CallEvent, retries) => decide(node, rt, heard(ev), retries),
  answer: (node, rt, text, retries) => decide(node, rt, text.trim(), retries),
  timeout: async () => ({ kind: 'follow', handle: 'noInput' }),
};
