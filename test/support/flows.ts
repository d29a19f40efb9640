/** Flow graphs shared by integration tests and benchmarks (the builder's JSON format). */
import type { GraphInput } from '../../core/graph/schema';

const edge = (source: string, target: string, sourceHandle?: string) => ({
  id: `${source}-${sourceHandle ?? 'next'}-${target}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});

const settings = { handoffKeywords: ['human', 'agent'], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} };

/** Asks a name, greets, then answers one question with the model; every message after the end starts over. */
export const receptionFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'askName', type: 'ask', data: { prompt: 'Hello! What is your name?', variable: 'name', inputType: 'text', maxRetries: 2 } },
    { id: 'greet', type: 'sendMessage', data: { text: 'Nice to meet you, {{name}}!' } },
    { id: 'askQuestion', type: 'ask', data: { prompt: 'How can I help you today?', variable: 'question', inputType: 'text', maxRetries: 2 } },
    {
      id: 'answer',
      type: 'llmReply',
      data: { systemPrompt: 'You are the front desk of Harbor Dental. The visitor is {{name}}.', brandVoice: 'Warm and brief.', contextMessages: 10, tools: [], allowHandoff: true },
    },
    { id: 'bye', type: 'end', data: {} },
  ],
  edges: [edge('start', 'askName'), edge('askName', 'greet'), edge('greet', 'askQuestion'), edge('askQuestion', 'answer'), edge('answer', 'bye')],
  settings,
};

/** One model answer per message: the smallest flow that exercises a full turn. */
export const llmOnlyFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'answer', type: 'llmReply', data: { systemPrompt: 'You are a helpful assistant.', contextMessages: 6, tools: [], allowHandoff: false } },
    { id: 'done', type: 'end', data: {} },
  ],
  edges: [edge('start', 'answer'), edge('answer', 'done')],
  settings,
};

/** An automation: branches on its input and returns a message. */
export const automationFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'vip', type: 'condition', data: { expression: 'amount >= 100' } },
    { id: 'big', type: 'setVariable', data: { variable: 'tier', value: 'gold' } },
    { id: 'small', type: 'setVariable', data: { variable: 'tier', value: 'standard' } },
    { id: 'tell', type: 'sendMessage', data: { text: 'Order {{orderId}} is {{tier}}' } },
    { id: 'done', type: 'end', data: {} },
  ],
  edges: [edge('start', 'vip'), edge('vip', 'big', 'true'), edge('vip', 'small', 'false'), edge('big', 'tell'), edge('small', 'tell'), edge('tell', 'done')],
  settings,
};

/** An automation that needs an answer: it waits on `ask` until the run is resumed. */
export const askingAutomation: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'approve', type: 'ask', data: { prompt: 'Approve the {{item}}?', variable: 'approved', inputType: 'yesno', maxRetries: 1 } },
    { id: 'tell', type: 'sendMessage', data: { text: 'Approved: {{item}}' } },
    { id: 'done', type: 'end', data: {} },
  ],
  edges: [edge('start', 'approve'), edge('approve', 'tell'), edge('tell', 'done')],
  settings,
};

/** Asks once, then echoes every message: a reply names the message it answers. */
export const echoFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'ask', type: 'ask', data: { prompt: 'Ready.', variable: 'last', inputType: 'text', maxRetries: 0 } },
    { id: 'echo', type: 'sendMessage', data: { text: 'Echo: {{last}}' } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', target: 'echo' },
    { id: 'e3', source: 'echo', target: 'ask' },
  ],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 60, contextWindow: 4, variables: {} },
};
