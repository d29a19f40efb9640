/**
 * Menu: the prompt inside a `<Gather>` of one key or speech; the chosen option's edge (`key1`…),
 * else the prompt again after the no-input / no-match line, up to `retries`, then `noInput` or
 * `noMatch`. In a chat the contact's text is matched the same way (a key or a keyword).
 */
import { menuHandle } from '../../../core/nodes/menu';
import { matchMenuOption } from '../../../core/voice/menu';
import { renderTemplate } from '../../../core/template';
import type { CallEvent } from '../../../core/voice/types';
import type { FlowRuntime, NodeHandler, NodeOf, Outcome } from '../types';
import { promptAndListen } from './voice-prompt';

type Menu = NodeOf<'menu'>;

function ask(node: Menu, rt: FlowRuntime, before: string | null): Promise<void> {
  return promptAndListen(rt, node.id, [before ? renderTemplate(before, rt.variables) : '', renderTemplate(node.data.prompt, rt.variables)], {
    input: ['dtmf', 'speech'],
    numDigits: 1,
    timeoutSeconds: node.data.timeoutSeconds,
    hints: node.data.options.flatMap((o) => o.keywords),
    voiceProfileId: node.data.voiceProfileId ?? null,
    language: node.data.language,
  });
}

async function decide(node: Menu, rt: FlowRuntime, input: { digits: string | null; speech: string | null }, retries: number): Promise<Outcome> {
  const silent = !input.digits?.trim() && !input.speech?.trim();
  const match = silent ? null : matchMenuOption(node.data.options, input);
  if (match) {
    if (node.data.variable) rt.variables[node.data.variable] = match.option.key;
    return { kind: 'follow', handle: menuHandle(match.option.key), output: { choice: match.option.key, by: match.by, ...(match.option.label ? { label: match.option.label } : {}) } };
  }
  const miss = silent ? 'noInput' : 'noMatch';
  if (retries >= node.data.retries) return { kind: 'follow', handle: miss, output: { retries } };
  await ask(node, rt, silent ? node.data.noInputPrompt : node.data.noMatchPrompt);
  return { kind: 'await', retries: retries + 1, output: { [miss]: input.digits ?? input.speech ?? '' } };
}

export const menu: NodeHandler<'menu'> = {
  async run(node, rt) {
    await ask(node, rt, null);
    return { kind: 'await', retries: 0 };
  },

  event(node, rt, ev: CallEvent, retries) {
    return decide(node, rt, ev.kind === 'gather' ? { digits: ev.digits, speech: ev.speech } : { digits: null, speech: null }, retries);
  },

  answer: (node, rt, text, retries) => decide(node, rt, /^\s*\d\s*$/.test(text) ? { digits: text.trim(), speech: null } : { digits: null, speech: text }, retries),

  timeout: async () => ({ kind: 'follow', handle: 'noInput' }),
};
