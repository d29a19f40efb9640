/**
 * A catastrophic pattern meeting a long answer inside real workflow code, on the Temporal dev
 * server with the real workflow bundle (which must carry the RE2 engine). Before, 40 characters
 * held the worker's workflow thread past the isolate's deadlock timeout, every turn of every
 * conversation on that worker waited, and Temporal retried the stuck task forever.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { flowRunWorkflowId } from '../../core/ids';
import type { flowRun } from '../../workflows/flowRun';
import { talk } from '../workflows/support/conversation';
import { conversationInput, flow, flowRunInput } from '../workflows/support/flows';
import { startHarness, type Harness } from '../workflows/support/harness';

const EVIL = '^(a+)+$';
const ATTACK = `${'a'.repeat(40)}b`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'redos');
});
afterAll(async () => h?.close());

/** Rejects instead of hanging when the workflow task is stuck. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms))]);
}

const askCode = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'code', type: 'ask', data: { prompt: 'Your code?', variable: 'code', pattern: EVIL, retryPrompt: 'Only a letters please.' } },
      { id: 'check', type: 'condition', data: { expression: `code ~= "${EVIL}"` } },
      { id: 'yes', type: 'sendMessage', data: { text: 'Matched.' } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'code'], ['code', 'check'], ['check', 'yes', 'true'], ['check', 'end', 'false'], ['yes', 'end']],
  );

describe('catastrophic patterns in workflow code', () => {
  it('answer an ask promptly while another conversation on the same worker is not delayed', async () => {
    const victim = talk(h, conversationInput(askCode()));
    const bystander = talk(h, conversationInput(flow([{ id: 'start', type: 'start' }, { id: 'end', type: 'end', data: { message: 'Hello there.' } }], [['start', 'end']])));
    expect(await within(10_000, victim.say('hi'))).toEqual(['Your code?']);
    await within(10_000, bystander.say('warm up'));

    const started = Date.now();
    const attack = within(10_000, victim.say(ATTACK));
    const other = within(10_000, bystander.say('hello?')).then((texts) => ({ texts, ms: Date.now() - started }));
    expect(await attack).toEqual(['Only a letters please.']);
    const attackMs = Date.now() - started;
    const { texts, ms } = await other;
    expect(texts).toEqual(['Hello there.']);
    expect(attackMs).toBeLessThan(3000);
    expect(ms).toBeLessThan(3000);

    // A valid answer still passes the pattern and the ~= condition.
    expect(await within(10_000, victim.say('aaaa'))).toEqual(['Matched.']);
  });

  it('evaluates ~= with a long near-match in a flowRun promptly', async () => {
    const graph = flow(
      [
        { id: 'start', type: 'start' },
        { id: 'check', type: 'condition', data: { expression: `text ~= "${EVIL}"` } },
        { id: 'yes', type: 'sendMessage', data: { text: 'Matched.' } },
        { id: 'end', type: 'end', data: { message: 'Checked.' } },
      ],
      [['start', 'check'], ['check', 'yes', 'true'], ['check', 'end', 'false'], ['yes', 'end']],
    );
    const started = Date.now();
    const handle = await h.client.workflow.start<typeof flowRun>('flowRun', {
      workflowId: flowRunWorkflowId('t1', randomUUID()),
      taskQueue: h.taskQueue,
      args: [flowRunInput(graph, { text: ATTACK })],
    });
    const out = await within(10_000, handle.result());
    expect(out.status).toBe('completed');
    expect(out.messages.map((m) => m.text)).toEqual(['Checked.']);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
