/** The validator on phone flows: chat-only nodes are refused by node id; nodes that work on calls pass; chat flows are untouched. */
import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../core/graph/validate';
import { NODE_CATALOGUE } from '../../core/nodes';

const flow = (extra: { id: string; type: string; data: Record<string, unknown>; out?: string[] }[]) => ({
  nodes: [{ id: 'start', type: 'start', data: {} }, ...extra.map(({ id, type, data }) => ({ id, type, data })), { id: 'end', type: 'end', data: {} }],
  edges: [
    { id: 'e0', source: 'start', target: extra[0].id },
    ...extra.flatMap((n, i) => (n.out ?? ['next']).map((handle, k) => ({ id: `e${i}-${k}`, source: n.id, sourceHandle: handle, target: extra[i + 1]?.id ?? 'end' }))),
  ],
});

const greet = { id: 'greet', type: 'say', data: { text: 'Welcome to the clinic.' } };
const human = { id: 'human', type: 'handoff', data: {} };
const video = { id: 'clip', type: 'sendVideo', data: { avatarId: '00000000-0000-4000-8000-000000000001', script: 'Hi', text: 'Hi' }, out: ['next', 'error'] };
const book = { id: 'book', type: 'bookAppointment', data: { serviceId: '00000000-0000-4000-8000-000000000002' }, out: ['booked', 'noSlots', 'cancelled', 'timeout'] };

describe('chat-only nodes on a phone flow', () => {
  it('refuses each one by its node id, naming the voice node that makes it a phone flow', () => {
    const result = validateGraph(flow([greet, human, video, book]));
    const refusals = result.errors.filter((e) => /does not work on a phone call/.test(e.message));
    expect(refusals.map((e) => e.nodeId).sort()).toEqual(['book', 'clip', 'human']);
    expect(refusals.find((e) => e.nodeId === 'human')?.message).toBe(
      "Node 'human': Hand off to a human does not work on a phone call (this flow has the voice node 'greet'): on a call the bot would hang up while waiting for an agent; use Transfer call to the human agents",
    );
  });

  it('lets the chat nodes that work on calls through (ask, sendMessage, llmReply, condition…)', () => {
    const ok = validateGraph(
      flow([
        greet,
        { id: 'name', type: 'ask', data: { prompt: 'Your name?', variable: 'name' }, out: ['next'] },
        { id: 'tell', type: 'sendMessage', data: { text: 'Hello {{name}}' } },
        { id: 'answer', type: 'llmReply', data: {} },
        { id: 'hours', type: 'businessHours', data: {}, out: ['open', 'closed'] },
      ]),
    );
    expect(ok.errors.filter((e) => /phone call/.test(e.message))).toEqual([]);
  });

  it('leaves chat flows alone', () => {
    expect(validateGraph(flow([human])).valid).toBe(true);
  });

  it('marks only chat node types as chat-only', () => {
    expect(NODE_CATALOGUE.filter((d) => d.chatOnly).map((d) => d.type).sort()).toEqual(['bookAppointment', 'handoff', 'sendVideo']);
    expect(NODE_CATALOGUE.filter((d) => d.chatOnly && d.category === 'voice')).toEqual([]);
  });
});
