/** Long conversations continue-as-new; variables, window and summary must survive each hop. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { conversationInput, flow } from './support/flows';
import { startHarness, type Harness } from './support/harness';
import { talk } from './support/conversation';
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

describe('conversation continue-as-new', () => {
  it('carries variables, the context window and the summary across runs', async () => {
    // ask → count → echo → ask …: every turn answers the pending question.
    const graph = flow(
      [
        { id: 'start', type: 'start' },
        { id: 'ask', type: 'ask', data: { prompt: 'Say something', variable: 'last' } },
        { id: 'count', type: 'setVariable', data: { variable: 'count', expression: 'number(count) + 1' } },
        { id: 'echo', type: 'sendMessage', data: { text: '#{{count}}: {{last}}' } },
      ],
      [['start', 'ask'], ['ask', 'count'], ['count', 'echo'], ['echo', 'ask']],
      { contextWindow: 4, variables: { count: 0 } },
    );
    const c = talk(h, conversationInput(graph));
    await c.say('hello');
    const { runId: firstRunId } = await c.handle().describe();
    for (let i = 1; i <= 15; i++) expect(await c.say(`m${i}`)).toEqual([`#${i}: m${i}`, 'Say something']);

    const { runId } = await c.handle().describe();
    expect(runId).not.toBe(firstRunId);
    const state = await c.state();
    expect(state.generation).toBeGreaterThanOrEqual(2);
    expect(state.variables).toMatchObject({ count: 15, last: 'm15' });
    expect(state.turn).toBe(16);
    expect(state.cursor).toEqual({ nodeId: 'ask', retries: 0 });
    expect(state.window).toEqual([
      { role: 'assistant', content: 'Say something' },
      { role: 'user', content: 'm15' },
      { role: 'assistant', content: '#15: m15' },
      { role: 'assistant', content: 'Say something' },
    ]);
    // The rolling summary starts with the first messages, folded in by earlier runs.
    expect(state.summary.startsWith('hello | Say something | m1 | #1: m1')).toBe(true);
    expect(state.summary).toContain('m14');

    // Keys stay unique across runs: the inbound key counts turns, outbound keys carry the generation.
    const keys = h.fakes.calls.filter((x) => x.workflowId === c.workflowId && x.name === 'deliverMessage' && x.attempt === 1).map((x) => x.input.message.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(h.fakes.of(c.workflowId, 'recordInbound').map((x) => x.input.key).at(-1)).toBe(`${c.workflowId}:${firstRunId}:in:16`);
  });
});
