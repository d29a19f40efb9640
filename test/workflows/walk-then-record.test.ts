/**
 * A turn on web chat / the API walks before the contact's message is stored, and stores both in
 * one local activity (INBOUND_WITH_REPLIES_PATCH). These tests take the paths where that walk must
 * be discarded: the message was an appointment's awaited answer, the appointment's run was over
 * (the flow answers after all, once), or the message could not be stored.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { conversationInput, flow } from './support/flows';
import { startHarness, type Harness } from './support/harness';
import { talk } from './support/conversation';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'walk-then-record');
});
afterAll(async () => h?.close());
beforeEach(() => h.fakes.reset());

/** start → count visits → say hello → an HTTP call → ask a question → end (the walk changes a variable, talks, and calls an activity). */
const countingFlow = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'count', type: 'setVariable', data: { variable: 'visits', expression: 'number(visits) + 1' } },
      { id: 'hello', type: 'sendMessage', data: { text: 'Hello, visit {{visits}}' } },
      { id: 'lookup', type: 'httpRequest', data: { method: 'GET', url: 'https://api.test/ping' } },
      { id: 'ask', type: 'ask', data: { prompt: 'Anything else?', variable: 'more' } },
      { id: 'end', type: 'end' },
    ],
    [
      ['start', 'count'],
      ['count', 'hello'],
      ['hello', 'lookup'],
      ['lookup', 'ask'],
      ['lookup', 'ask', 'error'],
      ['ask', 'end'],
    ],
  );

describe('a turn stored with its replies', () => {
  it('discards the walk when the message is an appointment’s awaited answer: no replies, no HTTP call, state as before', async () => {
    // Any running workflow takes the signal; the hand-over only needs it delivered.
    const appointment = talk(h, conversationInput(countingFlow()));
    await appointment.say('start the stand-in');
    h.fakes.reset();

    const c = talk(h, conversationInput(countingFlow()));
    h.fakes.impl.recordInbound = async ({ key, text }) => ({ messageId: key, ...(text === 'C' ? { appointmentWorkflowId: appointment.workflowId } : {}) });
    const result = await c.turn('C');
    expect(result.replies).toEqual([]);
    const state = await c.state();
    expect(state.turn).toBe(1);
    expect(state.variables.visits).toBeUndefined();
    expect(state.variables.message).toMatchObject({ text: 'C' });
    expect(state.trace).toEqual([]);
    expect(state.cursor).toBeNull();
    expect(state.window).toEqual([{ role: 'user', content: 'C' }]);
    expect(h.fakes.of(c.workflowId, 'httpRequest')).toEqual([]);
    expect(h.fakes.of(c.workflowId, 'deliverMessage')).toEqual([]);

    // The next message is the flow's: one walk, counted once.
    expect(await c.say('hi')).toEqual(['Hello, visit 1', 'Anything else?']);
    expect((await c.state()).variables.visits).toBe(1);
    expect(h.fakes.of(c.workflowId, 'httpRequest')).toHaveLength(1);
  });

  it('walks again when the appointment’s run is over: the flow answers once', async () => {
    const c = talk(h, conversationInput(countingFlow()));
    h.fakes.impl.recordInbound = async ({ key }) => ({ messageId: key, appointmentWorkflowId: 'appt:t1:gone' });
    expect(await c.say('C')).toEqual(['Hello, visit 1', 'Anything else?']);
    const state = await c.state();
    expect(state.variables.visits).toBe(1);
    expect(state.trace.map((t) => t.nodeId)).toEqual(['start', 'count', 'hello', 'lookup', 'ask']);
    expect(state.cursor).toEqual({ nodeId: 'ask', retries: 0 });
    expect(h.fakes.of(c.workflowId, 'httpRequest')).toHaveLength(1);
    // Stored once (the first walk's activity), replies stored once (the second walk's).
    expect(h.fakes.of(c.workflowId, 'recordInbound')).toHaveLength(1);
    expect(h.fakes.of(c.workflowId, 'deliverMessage').map((d) => d.input.message.text)).toEqual(['Hello, visit 1', 'Anything else?']);
  });

  it('tells the contact when the message cannot be stored, and the next message is the same turn again', async () => {
    const c = talk(h, conversationInput(countingFlow()));
    expect(await c.say('hi')).toEqual(['Hello, visit 1', 'Anything else?']);
    h.fakes.impl.recordInbound = async () => {
      throw ApplicationFailure.nonRetryable('value refused', 'InvalidData');
    };
    const failed = await c.turn('bad');
    expect(failed.replies.map((r) => r.source)).toEqual(['error']);
    const state = await c.state();
    // The answer was not taken: still at the question, nothing the walk did is kept.
    expect(state.cursor).toEqual({ nodeId: 'ask', retries: 0 });
    expect(state.variables.more).toBeUndefined();
    expect(state.variables.message).toMatchObject({ text: 'hi' });
    expect(state.window.map((m) => m.content)).toEqual(['hi', 'Hello, visit 1', 'Anything else?', failed.replies[0].text]);
    const failures = h.fakes.of(c.workflowId, 'emitEvent').filter((e) => e.input.type === 'flow.failed');
    expect(failures.map((e) => e.input.data.nodeId)).toEqual(['@inbound']);

    h.fakes.reset();
    await c.turn('fine');
    expect((await c.state()).variables.more).toBe('fine');
  });
});
