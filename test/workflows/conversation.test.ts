import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { agentMessageSignal, inboundSignal, releaseSignal, conversationStateQuery } from '../../workflows/messages';
import { conversationInput, flow, onboardingFlow } from './support/flows';
import { eventually, startHarness, type Harness } from './support/harness';
import { talk } from './support/conversation';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'conversation');
});
afterAll(async () => h?.close());
beforeEach(() => h.fakes.reset());

describe('conversation workflow', () => {
  it('runs a multi-turn flow over update-with-start, validating answers and branching', async () => {
    const c = talk(h, conversationInput(onboardingFlow()));
    expect(await c.say('hello')).toEqual(['What is your name?']);
    expect(await c.say('Ada')).toEqual(['Hi Ada!', 'How old are you?']);
    expect(await c.say('old enough')).toEqual(['Numbers only please, Ada.']);
    const last = await c.turn('42');
    expect(last.replies.map((r) => r.text)).toEqual(['Welcome, adult.', 'Bye Ada']);
    expect(last.status).toBe('bot');

    const state = await c.state();
    expect(state.variables).toMatchObject({ name: 'Ada', age: 42 });
    expect(state.cursor).toBeNull();
    expect(state.turn).toBe(4);
    expect(state.trace.map((t) => t.nodeId)).toEqual(['start', 'askName', 'askName', 'greet', 'askAge', 'askAge', 'askAge', 'check', 'adult', 'end']);
    expect(state.trace.find((t) => t.nodeId === 'check')?.handle).toBe('true');

    // Deterministic keys and node-named activity ids.
    const { runId } = await c.handle().describe();
    const inbound = h.fakes.of(c.workflowId, 'recordInbound');
    expect(inbound.map((x) => x.input.key)).toEqual([1, 2, 3, 4].map((t) => `${c.workflowId}:${runId}:in:${t}`));
    const tags = await c.localActivityTags();
    const tagsOf = (type: string) => tags.filter((t) => t.type === type).map((t) => t.tag);
    // A turn whose walk only talks is stored in one local activity: the contact's message, then the replies.
    expect(tagsOf('recordTurn')).toHaveLength(4);
    expect(tagsOf('recordTurn').every((tag) => /^@inbound#\d+$/.test(tag))).toBe(true);
    expect(tagsOf('recordInbound')).toEqual([]);
    expect(tagsOf('deliverMessage')).toEqual([]);
    expect(tagsOf('deliverMessages')).toEqual([]);
    const delivered = h.fakes.of(c.workflowId, 'deliverMessage');
    expect(delivered[1].input.message.key).toBe(`${c.workflowId}:${runId}:0:2:greet:2`);
    expect(delivered.map((d) => d.input.message.nodeId)).toEqual(['askName', 'greet', 'askAge', 'askAge', 'adult', 'end']);
    expect(h.fakes.of(c.workflowId, 'updateConversation').map((x) => x.input.currentNodeId)).toEqual(['askName', 'askAge', null]);

    const { searchAttributes } = await c.handle().describe();
    expect(searchAttributes).toMatchObject({ TenantId: ['t1'], FlowId: ['flow1'], FlowVersion: [3], Channel: ['webchat'], Stage: ['bot'] });

    // The next message starts the flow again.
    expect(await c.say('again')).toEqual(['What is your name?']);
  });

  it('takes the false branch and the invalid edge after the retries', async () => {
    const minor = talk(h, conversationInput(onboardingFlow()));
    await minor.say('hi');
    await minor.say('Tim');
    expect(await minor.say('12')).toEqual(['Ask a parent.', 'Bye Tim']);

    const stubborn = talk(h, conversationInput(onboardingFlow()));
    await stubborn.say('hi');
    await stubborn.say('Bo');
    expect(await stubborn.say('no')).toEqual(['Numbers only please, Bo.']);
    expect(await stubborn.say('never')).toEqual(['Let us try later.', 'Bye Bo']);
  });

  it('hands off on a keyword, delivers agent messages, and resumes after release', async () => {
    const graph = flow(
      [
        { id: 'start', type: 'start' },
        { id: 'topic', type: 'ask', data: { prompt: 'What is it about?', variable: 'topic' } },
        { id: 'desk', type: 'handoff', data: { message: 'A colleague will help with {{topic}}.' } },
        { id: 'back', type: 'sendMessage', data: { text: 'Welcome back to the bot.' } },
        { id: 'end', type: 'end' },
      ],
      [['start', 'topic'], ['topic', 'desk'], ['desk', 'back'], ['back', 'end']],
    );
    const c = talk(h, conversationInput(graph));
    expect(await c.say('hello')).toEqual(['What is it about?']);
    const handoff = await c.turn('I need a HUMAN now');
    expect(handoff.status).toBe('waiting');
    expect(handoff.replies.map((r) => r.text)).toEqual(['Let me connect you with a member of our team.']);
    expect((await c.turn('anyone?')).replies).toEqual([]);

    await c.handle().signal(agentMessageSignal, { text: 'Hi, Bob here', agent: 'bob' });
    const agent = await eventually(async () => h.fakes.of(c.workflowId, 'deliverMessage').find((d) => d.input.message.author === 'agent'));
    expect((await c.state()).status).toBe('human');
    expect(agent?.input.message).toMatchObject({ author: 'agent', text: 'Hi, Bob here', source: 'agent' });
    const agentTag = (await c.localActivityTags()).filter((t) => t.type === 'deliverMessages').at(-1)?.tag;
    expect(agentTag).toMatch(/^@agent#\d+$/);

    await c.handle().signal(releaseSignal);
    await eventually(async () => ((await c.state()).status === 'bot' ? true : undefined));
    // The pending question survived the keyword handoff; answering it reaches the handoff node.
    const toDesk = await c.turn('billing');
    expect(toDesk.replies.map((r) => r.text)).toEqual(['A colleague will help with billing.']);
    expect(toDesk.status).toBe('waiting');
    expect((await c.handle().describe()).searchAttributes.Stage).toEqual(['waiting']);

    await c.handle().signal(releaseSignal);
    await eventually(async () => (h.fakes.of(c.workflowId, 'deliverMessage').some((d) => d.input.message.text === 'Welcome back to the bot.') ? true : undefined));
    const events = h.fakes.of(c.workflowId, 'emitEvent').map((e) => e.input);
    expect(events.filter((e) => e.type === 'handoff.requested').map((e) => e.data.nodeId)).toEqual(['@keyword', 'desk']);
    // The last status is written after the welcome-back message is delivered.
    const statuses = await eventually(async () => {
      const written = h.fakes.of(c.workflowId, 'updateConversation').map((u) => u.input.status);
      return written.length >= 6 ? written : undefined;
    });
    expect(statuses).toEqual(['bot', 'waiting', 'human', 'bot', 'waiting', 'bot']);
  });

  it('runs the llmReply tool loop, capped at five model calls', async () => {
    const graph = flow(
      [
        { id: 'start', type: 'start' },
        {
          id: 'ai',
          type: 'llmReply',
          data: {
            systemPrompt: 'You help {{name}}.',
            brandVoice: 'Friendly',
            tools: [{ name: 'lookup', description: 'Looks up an order', url: 'https://tools.test/lookup' }],
            outputFilter: { blocklist: ['darn'] },
            saveAs: 'answer',
          },
        },
        { id: 'end', type: 'end' },
      ],
      [['start', 'ai'], ['ai', 'end']],
      { variables: { name: 'Ada' } },
    );
    h.fakes.impl.llmChat = async ({ tools }) =>
      tools.length
        ? { provider: 'openai-compatible', content: null, toolCalls: [{ id: `c${Math.random()}`, type: 'function', function: { name: 'lookup', arguments: '{"id":7}' } }], usage: { promptTokens: 3, completionTokens: 1, costUsd: 0.01 } }
        : { provider: 'openai-compatible', content: 'Your darn order shipped.', toolCalls: [], usage: { promptTokens: 3, completionTokens: 1, costUsd: 0.01 } };
    const c = talk(h, conversationInput(graph));
    const result = await c.turn('where is my order?');
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]).toMatchObject({ text: 'Your **** order shipped.', source: 'llm', nodeId: 'ai', usage: { promptTokens: 15, completionTokens: 5 } });

    const llm = h.fakes.of(c.workflowId, 'llmChat');
    expect(llm).toHaveLength(5);
    expect(llm.map((x) => x.input.tools.map((t: { name: string }) => t.name))).toEqual([...Array(4).fill(['lookup', 'handoff_to_human']), []]);
    expect(llm.every((x) => x.activityId.startsWith('ai#'))).toBe(true);
    expect(llm[0].input.messages[0]).toEqual({ role: 'system', content: 'You help Ada.\n\nBrand voice: Friendly' });
    expect(llm[0].input.messages.at(-1)).toEqual({ role: 'user', content: 'where is my order?' });
    expect(llm[4].input.messages.filter((m: { role: string }) => m.role === 'tool')).toHaveLength(4);
    expect(new Set(llm.map((x) => x.input.streamKey)).size).toBe(5);
    expect(h.fakes.of(c.workflowId, 'callTool').map((x) => x.input)).toEqual(Array(4).fill({ tenantId: 't1', nodeId: 'ai', url: 'https://tools.test/lookup', method: 'POST', arguments: '{"id":7}' }));
    expect((await c.state()).variables.answer).toBe('Your **** order shipped.');
  });

  it('lets the model hand off to a human', async () => {
    const graph = flow([{ id: 'start', type: 'start' }, { id: 'ai', type: 'llmReply' }, { id: 'end', type: 'end' }], [['start', 'ai'], ['ai', 'end']]);
    h.fakes.impl.llmChat = async () => ({
      provider: 'offline',
      content: null,
      toolCalls: [{ id: 'h1', type: 'function', function: { name: 'handoff_to_human', arguments: '{"reason":"angry"}' } }],
      usage: { promptTokens: 1, completionTokens: 1, costUsd: 0 },
    });
    const c = talk(h, conversationInput(graph));
    const result = await c.turn('this is useless');
    expect(result.status).toBe('waiting');
    expect(h.fakes.of(c.workflowId, 'emitEvent')[0].input).toMatchObject({ type: 'handoff.requested', data: { nodeId: 'ai', reason: 'angry' } });
  });

  it('starts with signal-with-start on async channels', async () => {
    const input = conversationInput(onboardingFlow());
    const c = talk(h, input);
    await h.client.workflow.signalWithStart('conversation', {
      workflowId: c.workflowId,
      taskQueue: h.taskQueue,
      args: [input],
      signal: inboundSignal,
      signalArgs: [{ text: 'hi from WhatsApp' }],
    });
    const state = await eventually(async () => {
      const s = await c.handle().query(conversationStateQuery);
      return s.cursor?.nodeId === 'askName' ? s : undefined;
    });
    expect(state.window).toEqual([
      { role: 'user', content: 'hi from WhatsApp' },
      { role: 'assistant', content: 'What is your name?' },
    ]);
  });

  it('keeps the same idempotency key when a send is retried', async () => {
    const original = h.fakes.impl.deliverMessage;
    let failures = 0;
    h.fakes.impl.deliverMessage = async (input) => {
      if (failures++ === 0) throw ApplicationFailure.retryable('channel hiccup');
      return original(input);
    };
    const c = talk(h, conversationInput(onboardingFlow()));
    expect(await c.say('hello')).toEqual(['What is your name?']);
    const attempts = h.fakes.of(c.workflowId, 'deliverMessage');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(attempts[0].input.message.key).toBe(attempts[1].input.message.key);
    expect(attempts[0].activityId).toBe(attempts[1].activityId);
  });

  it('answers the turn before a wait node and sends the rest later', async () => {
    const graph = flow(
      [
        { id: 'start', type: 'start' },
        { id: 'before', type: 'sendMessage', data: { text: 'Checking…' } },
        { id: 'pause', type: 'wait', data: { seconds: 1 } },
        { id: 'after', type: 'sendMessage', data: { text: 'Done checking.' } },
        { id: 'end', type: 'end' },
      ],
      [['start', 'before'], ['before', 'pause'], ['pause', 'after'], ['after', 'end']],
    );
    const c = talk(h, conversationInput(graph));
    expect(await c.say('status?')).toEqual(['Checking…']);
    const later = await eventually(async () => h.fakes.of(c.workflowId, 'deliverMessage').find((d) => d.input.message.nodeId === 'after'));
    const { runId } = await c.handle().describe();
    expect(later.input.message.key).toBe(`${c.workflowId}:${runId}:0:1:after:2`);
  });

  it('rejects empty turns', async () => {
    const c = talk(h, conversationInput(onboardingFlow()));
    await c.say('hi');
    await expect(c.turn('   ')).rejects.toThrow();
  });
});
