/**
 * A conversation continues as new once its run passes CONVERSATION_HISTORY_LIMIT events, long
 * before the server suggests it: a worker that takes the conversation over replays at most that
 * much. The state goes on in the next run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CONVERSATION_HISTORY_LIMIT } from '../../workflows/conversation';
import { startLocalTestServer } from '../../temporal/test-server';
import { settled } from '../replay/recorders/conversation';
import { talk } from './support/conversation';
import { conversationInput, echoLoopFlow } from './support/flows';
import { startHarness, type Harness } from './support/harness';

let env: TestWorkflowEnvironment;
let h: Harness;
beforeAll(async () => {
  // The server's own suggestion stays at its default (4K events): the bound must come first.
  env = await startLocalTestServer();
  h = await startHarness(env.connection.options.address, 'bounded');
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});

describe('conversation history bound', () => {
  it(`continues as new past ${CONVERSATION_HISTORY_LIMIT} events and goes on with its state`, async () => {
    const c = talk(h, conversationInput(echoLoopFlow()));
    await c.say('hello');
    const { runId: firstRunId } = await c.handle().describe();
    let turns = 0;
    while ((await c.handle().describe()).runId === firstRunId) {
      if (++turns > 400) throw new Error('the conversation never continued as new');
      expect(await c.say(`m${turns}`)).toEqual([`#${turns}: m${turns}`, 'Say something']);
      await settled(c);
    }
    const first = await h.client.workflow.getHandle(c.workflowId, firstRunId).fetchHistory();
    const length = first.events?.length ?? 0;
    expect(length).toBeGreaterThan(CONVERSATION_HISTORY_LIMIT);
    // One idle turn past the bound, then the hop: far below the server's 4K.
    expect(length).toBeLessThan(CONVERSATION_HISTORY_LIMIT + 100);
    expect(await c.say('after')).toEqual([`#${turns + 1}: after`, 'Say something']);
    expect((await c.state()).generation).toBe(1);
  });
});
