/**
 * Long conversations continue-as-new; variables, window, summary, the seen provider ids and the
 * status must survive each hop, in every status a conversation can be in when the hop comes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { agentMessageSignal, closeSignal, keyedTurnUpdateId, releaseSignal, takeOverSignal, turnUpdate } from '../../workflows/messages';
import { conversationInput, echoLoopFlow, flow } from './support/flows';
import { eventually, startHarness, type Harness } from './support/harness';
import { talk } from './support/conversation';
import { settled, until, type Conversation } from '../replay/recorders/conversation';
import { startLocalTestServer } from '../../temporal/test-server';

let env: TestWorkflowEnvironment;
let h: Harness;
beforeAll(async () => {
  env = await startLocalTestServer({ 'limit.historyCount.suggestContinueAsNew': 50 });
  h = await startHarness(env.connection.options.address, 'can');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

/** Calls `send(i)` for i = 1, 2, … until the conversation has continued as new; returns the first run's id. */
async function untilContinued(c: Conversation, send: (i: number) => Promise<unknown>): Promise<string> {
  const { runId: firstRunId } = await c.handle().describe();
  for (let i = 1; (await c.handle().describe()).runId === firstRunId; i++) {
    if (i > 40) throw new Error('the server never suggested continue-as-new');
    await send(i);
    // Idle between messages, so the hop happens between turns, as for a contact who reads the reply.
    await settled(c);
  }
  return firstRunId;
}

/** start → ask the name → hand off → (after release) a message naming them → end. */
const handoffFlow = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'name', type: 'ask', data: { prompt: 'Your name?', variable: 'name' } },
      { id: 'agent', type: 'handoff', data: { message: 'Connecting you, {{name}}.' } },
      { id: 'back', type: 'sendMessage', data: { text: 'Back with the bot, {{name}}.' } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'name'], ['name', 'agent'], ['agent', 'back'], ['back', 'end']],
  );

const texts = (c: Conversation, nodeId?: string) =>
  h.fakes
    .of(c.workflowId, 'deliverMessage')
    .filter((d) => d.attempt === 1 && (!nodeId || d.input.message.nodeId === nodeId))
    .map((d) => d.input.message.text);

describe('conversation continue-as-new', () => {
  it('carries variables, the context window and the summary across runs (waiting on an ask)', async () => {
    // ask → count → echo → ask …: every turn answers the pending question.
    const c = talk(h, conversationInput(echoLoopFlow()));
    await c.say('hello');
    const { runId: firstRunId } = await c.handle().describe();
    // Two folds, on turns 15 and 29 (the echo flow never reads the context: it folds on its slack).
    for (let i = 1; i <= 29; i++) expect(await c.say(`m${i}`)).toEqual([`#${i}: m${i}`, 'Say something']);
    // Read the state once nothing is pending: the continue-as-new follows the last turn's answer.
    await settled(c);

    const { runId } = await c.handle().describe();
    expect(runId).not.toBe(firstRunId);
    const state = await c.state();
    expect(state.generation).toBeGreaterThanOrEqual(2);
    expect(state.status).toBe('bot');
    expect(state.variables).toMatchObject({ count: 29, last: 'm29' });
    expect(state.turn).toBe(30);
    expect(state.cursor).toEqual({ nodeId: 'ask', retries: 0 });
    expect(state.window).toEqual([
      { role: 'assistant', content: 'Say something' },
      { role: 'user', content: 'm29' },
      { role: 'assistant', content: '#29: m29' },
      { role: 'assistant', content: 'Say something' },
    ]);
    // The rolling summary holds what the first fold (turn 15, an earlier run) and the second wrote,
    // the most recent ~1,500 characters of it on line boundaries.
    expect(state.summary).toContain('user: m5\nassistant: #5: m5');
    expect(state.summary).toContain('user: m28');
    expect(state.summary.length).toBeLessThanOrEqual(1500);

    // Keys stay unique across runs: the inbound key counts turns, outbound keys carry the generation.
    const keys = h.fakes.calls.filter((x) => x.workflowId === c.workflowId && x.name === 'deliverMessage' && x.attempt === 1).map((x) => x.input.message.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(h.fakes.of(c.workflowId, 'recordInbound').map((x) => x.input.key).at(-1)).toBe(`${c.workflowId}:${firstRunId}:in:30`);
  });

  it('a provider message id seen before continue-as-new is still a duplicate after it: no second turn', async () => {
    const c = talk(h, { ...conversationInput(echoLoopFlow()), channel: 'sms' });
    await c.inbound({ text: 'hello', externalId: 'SM0' });
    await until(c, (s) => s.turn === 1);
    await untilContinued(c, async (i) => {
      await c.inbound({ text: `m${i}`, externalId: `SM${i}` });
      await until(c, (s) => s.turn === i + 1);
    });
    const carried = await c.state();
    expect(carried.generation).toBe(1);
    expect(carried.seenExternalIds).toEqual(expect.arrayContaining(['SM0', 'SM1']));

    const recordedBefore = h.fakes.of(c.workflowId, 'recordInbound').length;
    // The provider redelivers two messages the first run answered, then a new one arrives.
    await c.inbound({ text: 'hello', externalId: 'SM0' });
    await c.inbound({ text: 'm1', externalId: 'SM1' });
    await c.inbound({ text: 'new', externalId: 'SM-new' });
    // Signals are handled in order: once the new message's turn is done, the redeliveries were handled.
    await until(c, (s) => s.variables.last === 'new');
    await settled(c);
    const after = await c.state();
    expect(after.turn).toBe(carried.turn + 1);
    expect(after.variables.count).toBe(carried.turn);
    expect(h.fakes.of(c.workflowId, 'recordInbound').slice(recordedBefore).map((x) => x.input.externalId)).toEqual(['SM-new']);
  });

  it('a turn sent with an idempotency key and retried after continue-as-new is answered from the first run: no second turn', async () => {
    const c = talk(h, conversationInput(echoLoopFlow()));
    await c.say('hello');
    const keyed = (text: string, key: string) => c.handle().executeUpdate(turnUpdate, { args: [{ text }], updateId: keyedTurnUpdateId(key) });
    const first = await keyed('keyed message', 'client-key-1');
    expect(first.replies.map((r) => r.text)).toEqual(['#1: keyed message', 'Say something']);
    await settled(c);
    await untilContinued(c, (i) => c.say(`m${i}`));
    const recordedBefore = h.fakes.of(c.workflowId, 'recordInbound').length;
    const turnBefore = (await c.state()).turn;

    // The client never saw the answer (its API process died) and sends the same key again.
    const retried = await keyed('keyed message', 'client-key-1');
    expect(retried).toEqual(first);
    expect(h.fakes.of(c.workflowId, 'recordInbound').length).toBe(recordedBefore);
    expect((await c.state()).turn).toBe(turnBefore);
    // A new key is a new turn.
    expect((await keyed('another', 'client-key-2')).replies.map((r) => r.text)).toEqual([`#${turnBefore}: another`, 'Say something']);
  });

  it('continues as new while waiting for an agent; release then resumes after the handoff', async () => {
    const c = talk(h, conversationInput(handoffFlow()));
    expect(await c.say('hi')).toEqual(['Your name?']);
    expect(await c.say('Ann')).toEqual(['Connecting you, Ann.']);
    await untilContinued(c, async (i) => {
      // The contact keeps writing while nobody has answered yet: stored, no bot reply.
      expect(await c.turn(`anyone there? ${i}`)).toMatchObject({ replies: [], status: 'waiting' });
    });
    expect(await c.state()).toMatchObject({ generation: 1, status: 'waiting', resumeNodeId: 'back', cursor: null, variables: { name: 'Ann' } });

    await c.handle().signal(releaseSignal);
    await until(c, (s) => s.status === 'bot' && s.resumeNodeId === null);
    expect(texts(c, 'back')).toEqual(['Back with the bot, Ann.']);
  });

  it('continues as new while an agent has taken over, and closes on request in the later run', async () => {
    const c = talk(h, conversationInput(handoffFlow()));
    expect(await c.say('hi')).toEqual(['Your name?']);
    await c.handle().signal(takeOverSignal, { agent: 'Bea' });
    await until(c, (s) => s.status === 'human');
    await untilContinued(c, (i) => c.handle().signal(agentMessageSignal, { text: `agent says ${i}`, agent: 'Bea' }));
    expect(await c.state()).toMatchObject({ generation: 1, status: 'human', cursor: { nodeId: 'name', retries: 0 } });

    // The bot stays quiet while the agent has the conversation, in the new run too.
    expect(await c.turn('thanks')).toMatchObject({ replies: [], status: 'human' });
    await c.handle().signal(agentMessageSignal, { text: 'bye now', agent: 'Bea' });
    await c.handle().signal(closeSignal);
    await c.handle().result();
    const { status } = await c.handle().describe();
    expect(status.name).toBe('COMPLETED');
    expect((await c.state()).status).toBe('closed');
    expect(texts(c).filter((t) => !t.startsWith('agent says'))).toEqual(['Your name?', 'bye now']);
    const closed = h.fakes.of(c.workflowId, 'emitEvent').filter((e) => e.input.type === 'conversation.closed');
    expect(closed.map((e) => e.input.data.reason)).toEqual(['requested']);
  });
});
