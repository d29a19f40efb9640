/**
 * Ask: says the prompt and suspends until the contact replies. An invalid reply is answered with
 * the retryPrompt (or the validator's own instruction) up to maxRetries times; then the `invalid`
 * handle is followed, which ends the walk when it is not connected. No reply within
 * timeoutSeconds follows `timeout` (or ends the walk).
 */
import { choiceInteractive, validateAnswer } from '../../../core/answers';
import type { RichContent } from '../../../core/messages';
import { renderTemplate } from '../../../core/template';
import type { NodeHandler, NodeOf } from '../types';

export const ask: NodeHandler<'ask'> = {
  async run(node, rt) {
    await rt.say(node.id, renderTemplate(node.data.prompt, rt.variables), 'template', undefined, undefined, choiceOptions(node));
    return { kind: 'await', retries: 0 };
  },

  async answer(node, rt, text, retries) {
    const result = validateAnswer(text, node.data);
    if (result.ok) {
      rt.variables[node.data.variable] = result.value;
      return { kind: 'follow', handle: 'next', output: { [node.data.variable]: result.value } };
    }
    if (retries >= node.data.maxRetries) return { kind: 'follow', handle: 'invalid', output: { invalid: text } };
    const retry = node.data.retryPrompt ? renderTemplate(node.data.retryPrompt, rt.variables) : result.reason;
    // The validator's own reason already lists the choices as text; a custom retryPrompt gets the options again.
    await rt.say(node.id, retry, 'template', undefined, undefined, node.data.retryPrompt ? choiceOptions(node) : undefined);
    return { kind: 'await', retries: retries + 1, output: { invalid: text } };
  },

  timeout: async () => ({ kind: 'follow', handle: 'timeout' }),

  inputTimeoutMs: (node) => (node.data.timeoutSeconds ? node.data.timeoutSeconds * 1000 : null),
};

/** A choice question offers its choices as buttons / a list on channels that have them. */
function choiceOptions(node: NodeOf<'ask'>): RichContent | undefined {
  return node.data.inputType === 'choice' && node.data.choices?.length ? { interactive: choiceInteractive(node.data.choices) } : undefined;
}
