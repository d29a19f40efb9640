/** Flow graphs for workflow tests, built through validateGraph so they are what publishing produces. */
import { randomUUID } from 'node:crypto';
import { validateGraph } from '../../../core/graph/validate';
import type { ValidGraph } from '../../../core/graph/schema';
import type { ConversationInput, FlowRunInput } from '../../../workflows/messages';

type N = { id: string; type: string; data?: Record<string, unknown> };
type E = [source: string, target: string, handle?: string];

export function flow(nodes: N[], edges: E[], settings: Record<string, unknown> = {}): ValidGraph {
  const result = validateGraph({
    nodes: nodes.map((n) => ({ ...n, data: n.data ?? {} })),
    edges: edges.map(([source, target, sourceHandle]) => ({ id: `${source}-${sourceHandle ?? 'next'}`, source, target, sourceHandle })),
    settings,
  });
  if (!result.graph) throw new Error(`test flow is invalid: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.graph;
}

export function conversationInput(graph: ValidGraph): ConversationInput {
  return { tenantId: 't1', conversationId: randomUUID(), flowId: 'flow1', flowVersion: 3, graph, channel: 'webchat' };
}

export function flowRunInput(graph: ValidGraph, input: Record<string, unknown> = {}): FlowRunInput {
  return { tenantId: 't1', flowId: 'flow1', flowVersion: 3, graph, input };
}

/** start → ask name → greet → ask age (number) → condition → adult/minor → end. */
export const onboardingFlow = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'askName', type: 'ask', data: { prompt: 'What is your name?', variable: 'name' } },
      { id: 'greet', type: 'sendMessage', data: { text: 'Hi {{name}}!' } },
      { id: 'askAge', type: 'ask', data: { prompt: 'How old are you?', variable: 'age', inputType: 'number', retryPrompt: 'Numbers only please, {{name}}.', maxRetries: 1 } },
      { id: 'check', type: 'condition', data: { expression: 'age >= 18' } },
      { id: 'adult', type: 'sendMessage', data: { text: 'Welcome, adult.' } },
      { id: 'minor', type: 'sendMessage', data: { text: 'Ask a parent.' } },
      { id: 'tooBad', type: 'sendMessage', data: { text: 'Let us try later.' } },
      { id: 'end', type: 'end', data: { message: 'Bye {{name}}' } },
    ],
    [
      ['start', 'askName'],
      ['askName', 'greet'],
      ['greet', 'askAge'],
      ['askAge', 'check'],
      ['askAge', 'tooBad', 'invalid'],
      ['check', 'adult', 'true'],
      ['check', 'minor', 'false'],
      ['adult', 'end'],
      ['minor', 'end'],
      ['tooBad', 'end'],
    ],
  );

/** start → ask → count → echo → ask …: every message answers the pending question; a small context window. */
export const echoLoopFlow = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'ask', type: 'ask', data: { prompt: 'Say something', variable: 'last' } },
      { id: 'count', type: 'setVariable', data: { variable: 'count', expression: 'number(count) + 1' } },
      { id: 'echo', type: 'sendMessage', data: { text: '#{{count}}: {{last}}' } },
    ],
    [['start', 'ask'], ['ask', 'count'], ['count', 'echo'], ['echo', 'ask']],
    { contextWindow: 4, variables: { count: 0 } },
  );

/** ask → llmReply → ask …, a window of two messages: the model reads the context every turn. */
export const modelLoopFlow = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'ask', type: 'ask', data: { prompt: 'Go on', variable: 'last' } },
      { id: 'model', type: 'llmReply', data: { systemPrompt: 'Answer.', contextMessages: 2 } },
    ],
    [['start', 'ask'], ['ask', 'model'], ['model', 'ask']],
    { contextWindow: 2 },
  );
