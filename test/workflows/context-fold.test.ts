/**
 * A turn is answered once its replies are stored, before the context is folded into the summary
 * (an activity and a second workflow task), and a flow no node of which reads the context folds
 * it once per UNREAD_CONTEXT_SLACK messages instead of nearly every turn, in the workflow.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { UNREAD_CONTEXT_SLACK } from '../../workflows/runtime/conversation-patches';
import { conversationInput, echoLoopFlow, modelLoopFlow } from './support/flows';
import { eventually, startHarness, type Harness } from './support/harness';
import { talk } from './support/conversation';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'context-fold');
});
afterAll(async () => h?.close());
beforeEach(() => h.fakes.reset());

describe('conversation context fold', () => {
  it('answers the turn while the summary is still being written, and the next turn waits for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const folded = h.fakes.impl.summarize;
    h.fakes.impl.summarize = async (input) => {
      await gate;
      return folded(input);
    };
    const c = talk(h, conversationInput(modelLoopFlow()));
    expect(await c.say('hello')).toEqual(['Go on']);
    // [hello, Go on] + [first, LLM answer, Go on] overflows the window of two by more than one.
    expect(await c.say('first')).toEqual(['LLM answer', 'Go on']);
    await eventually(async () => (h.fakes.of(c.workflowId, 'summarize').length === 1 ? true : undefined));
    expect((await c.state()).summary).toBe('');

    const next = c.say('second');
    release();
    expect(await next).toEqual(['LLM answer', 'Go on']);
    const state = await c.state();
    expect(state.summary.startsWith('hello | Go on | first')).toBe(true);
    // The second turn's model call saw the summary the first turn's fold wrote.
    const secondCall = h.fakes.of(c.workflowId, 'llmChat').at(-1)!.input.messages as { content: string }[];
    expect(secondCall[0].content).toContain('hello | Go on | first');
  });

  it('a flow that never reads the context folds once per UNREAD_CONTEXT_SLACK messages, in the workflow', async () => {
    const c = talk(h, conversationInput(echoLoopFlow()));
    await c.say('hello');
    // The first turn leaves two messages, each later one adds three (the contact's, the echo, the
    // prompt): this many turns take the window of four just past its slack.
    const turns = Math.floor((4 + UNREAD_CONTEXT_SLACK - 2) / 3) + 2;
    for (let i = 1; i < turns - 1; i++) await c.say(`m${i}`);
    expect((await c.state()).summary).toBe('');
    await c.say(`m${turns - 1}`);
    // Folded with the turn that overflowed the slack, extractively: no model call, no activity.
    const state = await c.state();
    expect(state.window).toHaveLength(4);
    expect(state.summary.split('\n').slice(0, 3)).toEqual(['user: hello', 'assistant: Say something', 'user: m1']);
    expect(h.fakes.of(c.workflowId, 'summarize')).toHaveLength(0);

    // The same many turns of a flow whose model reads the context fold on nearly every one.
    const model = talk(h, conversationInput(modelLoopFlow()));
    for (let i = 0; i < turns; i++) await model.say(`m${i}`);
    await eventually(async () => (h.fakes.of(model.workflowId, 'summarize').length >= turns - 2 ? true : undefined));
  });
});
