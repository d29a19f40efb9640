/**
 * Ask: says the prompt and suspends until the contact replies. An invalid reply is answered with
 * the retryPrompt (or the validator's own instruction) up to maxRetries times; then the `invalid`
 * handle is followed, which ends the walk when it is not connected. No reply within
 * timeoutSeconds follows `timeout` (or ends the walk).
 */
import { validateAnswer } from '../../../core/answers';
import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

export const ask: NodeHandler<'ask'> = {
  async run(node, rt) {
    await rt.say(node.id, renderTemplate(node.data.prompt, rt.variables), 'template');
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
    await rt.say(node.id, retry, 'template');
    return { kind: 'await', retries: retries + 1, output: { invalid: text } };
  },

  timeout: async () => ({ kind: 'follow', handle: 'timeout' }),
};
