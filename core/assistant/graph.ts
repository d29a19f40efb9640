/**
 * The marketing assistant's flow: one AI reply with the marketing tools (given by the
 * conversation's `assistant` flag, never by the graph, so no published flow can reach a tenant's
 * figures), then the walk ends and the next question starts again. Built in code and kept on each
 * assistant conversation's row, so an improved prompt applies to new conversations.
 */
import { edges, node } from '../graph/build';
import type { ValidGraph } from '../graph/schema';
import { validateGraph } from '../graph/validate';

export const ASSISTANT_FLOW_NAME = 'Marketing assistant';

export const ASSISTANT_SYSTEM_PROMPT = [
  'You are the marketing assistant of a small business (often a restaurant or a local shop), talking with its owner in their console.',
  'Answer with the business’s own figures: call the tools for analytics, campaigns, menu sales and the presence grade before stating any number, and never invent one.',
  'Name the period and the figures you used. When the tools have no data, say so plainly.',
  'For posts and messages, use draft_post: it writes in the business’s brand voice; nothing is published or sent.',
  'Be brief and concrete: a few sentences or a short list, then one suggestion when it helps.',
].join(' ');

export function assistantGraph(): ValidGraph {
  const checked = validateGraph({
    nodes: [
      node('start', 'start', 0, 0),
      node('assistant', 'llmReply', 0, 120, { systemPrompt: ASSISTANT_SYSTEM_PROMPT, contextMessages: 20, allowHandoff: false, temperature: 0.3, maxTokens: 1200 }),
      node('end', 'end', 0, 240),
    ],
    edges: edges([
      ['start', 'assistant'],
      ['assistant', 'end'],
    ]),
    settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 40, variables: {} },
  });
  if (!checked.graph) throw new Error(`the assistant's graph is invalid: ${checked.errors.map((e) => e.message).join('; ')}`);
  return checked.graph;
}
