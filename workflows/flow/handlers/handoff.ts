import { renderTemplate } from '../../../core/template';
import type { FlowRuntime, NodeHandler, Outcome } from '../types';
/** Says the message, stops the bot and asks for a human; shared with llmReply's handoff tool. */
export async function handOff(rt: FlowRuntime, nodeId: string, message: string, reason?: string): Promise<Outcome> {
  if (message.trim()) await rt.say(nodeId, renderTemplate(message, rt.variables), 'template');
  await rt.handoff(nodeId, reason);
  return { kind: 'handoff', resumeHandle: 'next' };
}

export const handoff: NodeHandler<'handoff'> = {
  run: (node, rt) => handOff(rt, node.id, node.data.message, node.data.reason),
};
