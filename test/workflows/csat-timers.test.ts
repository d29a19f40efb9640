/** The csat node's waits on the time-skipping test server: no rating in time follows noAnswer; no comment in time keeps the rating without one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { conversationWorkflowId } from '../../core/ids';
import { conversationStateQuery, inboundSignal } from '../../workflows/messages';
import { createFakes } from './support/fakes';
import { eventually } from './support/harness';
import { startTimeSkipping, type TimeSkipping } from './support/time-skipping';
import { conversationInput, flow } from './support/flows';

let env: TestWorkflowEnvironment;
let server: TimeSkipping;
const fakes = createFakes();

beforeAll(async () => {
  server = await startTimeSkipping('csat-timers', fakes);
  env = server.env;
});
afterAll(() => server?.close());

const graph = flow(
  [
    { id: 'start', type: 'start' },
    { id: 'rate', type: 'csat', data: { question: 'How did we do?', scale: 'thumbs', followUp: 'Tell us more?', timeoutSeconds: 600 } },
    { id: 'thanks', type: 'sendMessage', data: { text: 'Thanks ({{csat_score}})' } },
    { id: 'silent', type: 'sendMessage', data: { text: 'Maybe next time.' } },
    { id: 'end', type: 'end' },
  ],
  [['start', 'rate'], ['rate', 'thanks', 'satisfied'], ['rate', 'silent', 'noAnswer'], ['thanks', 'end'], ['silent', 'end']],
  { idleTimeoutMinutes: 60 },
);

async function converse(messages: string[]) {
  const input = conversationInput(graph);
  const workflowId = conversationWorkflowId(input.tenantId, input.conversationId);
  const send = (text: string) => env.client.workflow.signalWithStart('conversation', { workflowId, taskQueue: server.taskQueue, args: [input], signal: inboundSignal, signalArgs: [{ text }] });
  let handle = await send(messages[0]);
  for (const [i, text] of messages.slice(1).entries()) {
    await eventually(async () => ((await handle.query(conversationStateQuery)).turn === i + 1 ? true : undefined));
    handle = await send(text);
  }
  await eventually(async () => ((await handle.query(conversationStateQuery)).turn === messages.length ? true : undefined));
  // result() lets the server skip the csat waits and the idle close.
  await handle.result();
  return { workflowId, texts: fakes.of(workflowId, 'deliverMessage').map((d) => d.input.message.text) };
}

describe('csat waits', () => {
  it('no rating within the timeout follows noAnswer and stores nothing', async () => {
    const { workflowId, texts } = await converse(['hi']);
    expect(texts).toEqual(['How did we do?', 'Maybe next time.']);
    expect(fakes.of(workflowId, 'recordCsat')).toHaveLength(0);
  });

  it('no comment within the timeout completes the rating without one', async () => {
    const { workflowId, texts } = await converse(['hi', 'yes']);
    expect(texts).toEqual(['How did we do?', 'Tell us more?', 'Thanks (5)']);
    expect(fakes.of(workflowId, 'recordCsat').map((c) => c.input.final)).toEqual([false]);
    expect(fakes.of(workflowId, 'completeCsat').map((c) => c.input.comment)).toEqual([null]);
  });
});
