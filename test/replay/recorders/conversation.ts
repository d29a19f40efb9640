/**
 * `conversation` recordings: every node type, the model's tools and knowledge, handoff to an agent
 * and back, the keyword handoff and test conversations, driven by `turn` updates as the chat API
 * does. Channel sends, de-duplication, continue-as-new and timers are in conversation-lifecycle.ts.
 */
import type { ConversationState } from '../../../workflows/messages';
import { talk } from '../../workflows/support/conversation';
import { CONVERSATION_HISTORY_LIMIT } from '../../../workflows/conversation';
import { conversationInput, echoLoopFlow, flow, modelLoopFlow, onboardingFlow } from '../../workflows/support/flows';
import { eventually } from '../../workflows/support/harness';
import { knowledgeFinds, modelAnswer, modelHandingOff, modelUsingTools, passage, toolCall } from './model';
import { expectPath, type RecordContext, type Recorder } from './types';
import { historyFacts } from '../history';
import { ONE_MARKER_PATCH } from '../../../workflows/runtime/conversation-patches';

export type Conversation = ReturnType<typeof talk>;

/** Waits until the conversation's state satisfies `check` (turns that wait on a timer answer early). */
export const until = (c: Conversation, check: (s: ConversationState) => boolean) => eventually(async () => (check(await c.state()) ? true : undefined));

/**
 * Waits until the latest run has no workflow task or activity pending: the next message then
 * finds the conversation idle, so a suggested continue-as-new happens between turns, as it would
 * for a contact who reads the reply before writing again.
 */
export const settled = (c: Conversation) =>
  eventually(async () => {
    const { raw } = await c.handle().describe();
    return !raw.pendingActivities?.length && !raw.pendingWorkflowTask ? true : undefined;
  });

const endedTurn = (turn: number) => (s: ConversationState) => s.turn === turn && s.cursor === null && s.trace.some((t) => t.turn === turn && t.type === 'end');

/** Asks the conversation to close, waits for it, and saves its history. */
export async function closeAndSave(ctx: RecordContext, c: Conversation, name: string): Promise<void> {
  await c.handle().signal('close');
  await c.handle().result();
  await ctx.save(name, c.workflowId);
}

/** setVariable → condition → ask → httpRequest (success, then its error edge) → wait → sendMessage → end, twice. */
const nodesFlow = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'count', type: 'setVariable', data: { variable: 'visits', expression: 'number(visits) + 1' } },
      { id: 'returning', type: 'condition', data: { expression: 'visits > 1' } },
      { id: 'welcomeBack', type: 'sendMessage', data: { text: 'Welcome back!' } },
      { id: 'askOrder', type: 'ask', data: { prompt: 'Your order number?', variable: 'order' } },
      { id: 'lookup', type: 'httpRequest', data: { method: 'GET', url: 'https://api.test/orders/{{order}}', responseMapping: { orderStatus: 'body.status' } } },
      { id: 'pause', type: 'wait', data: { seconds: 1 } },
      { id: 'found', type: 'sendMessage', data: { text: 'Order {{order}} is {{orderStatus}}.' } },
      { id: 'notFound', type: 'sendMessage', data: { text: 'There is no order {{order}}.' } },
      { id: 'end', type: 'end', data: { message: 'Bye!' } },
    ],
    [
      ['start', 'count'],
      ['count', 'returning'],
      ['returning', 'welcomeBack', 'true'],
      ['returning', 'askOrder', 'false'],
      ['welcomeBack', 'askOrder'],
      ['askOrder', 'lookup'],
      ['lookup', 'pause'],
      ['lookup', 'notFound', 'error'],
      ['pause', 'found'],
      ['found', 'end'],
      ['notFound', 'end'],
    ],
    { variables: { visits: 0 } },
  );

async function recordNodes(ctx: RecordContext) {
  const { h } = ctx;
  h.fakes.impl.httpRequest = async ({ url }) =>
    url.endsWith('/B2') ? { ok: false, status: 404, variables: {}, error: 'HTTP 404' } : { ok: true, status: 200, variables: { orderStatus: 'shipped' } };
  const c = talk(h, conversationInput(nodesFlow()));
  await c.turn('hi');
  // The wait node answers this turn early; the rest of the walk is delivered when its timer fires.
  await c.turn('A1');
  await until(c, endedTurn(2));
  await c.turn('again');
  await c.turn('B2');
  await until(c, endedTurn(4));
  const state = await c.state();
  expectPath(state.trace.some((t) => t.nodeId === 'lookup' && t.handle === 'error') && state.trace.some((t) => t.nodeId === 'found'), 'lookup succeeded once and failed once');
  await closeAndSave(ctx, c, 'conversation-nodes');
}

/** The model calls an HTTP tool and searches the knowledge base, then answers citing a passage. */
async function recordLlmTools(ctx: RecordContext) {
  const { h } = ctx;
  modelUsingTools(h.fakes, [toolCall('call_1', 'lookup_order', { order: 'A1' }), toolCall('call_2', 'search_knowledge_base', { query: 'delivery time' })], 'Order A1 left on Monday; delivery takes two days [1].');
  knowledgeFinds(h.fakes, [passage('Deliveries take two working days.', 'Shipping FAQ', 2)]);
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      {
        id: 'assistant',
        type: 'llmReply',
        data: {
          allowHandoff: false,
          knowledgeBaseIds: ['kb-1'],
          retrieval: 'tool',
          tools: [{ name: 'lookup_order', description: 'Looks up an order by its number', url: 'https://api.test/tools/order' }],
        },
      },
      { id: 'end', type: 'end' },
    ],
    [['start', 'assistant'], ['assistant', 'end']],
  );
  const c = talk(h, conversationInput(graph));
  const { replies } = await c.turn('Where is my order A1?');
  expectPath(replies.some((r) => r.citations?.length) && h.fakes.of(c.workflowId, 'callTool').length === 1, 'a tool call, a search and a cited answer');
  await closeAndSave(ctx, c, 'conversation-llm-tools');
}

/** Automatic retrieval: a cited model answer, then the offline responder quoting the best passage. */
async function recordKnowledge(ctx: RecordContext) {
  const { h } = ctx;
  knowledgeFinds(h.fakes, [passage('We are open 9:00 to 17:00 on weekdays.', 'Opening hours'), passage('Closed on public holidays.', 'Opening hours')]);
  let calls = 0;
  h.fakes.impl.llmChat = async () => (++calls === 1 ? modelAnswer('From 9 to 5 on weekdays [1].') : modelAnswer('No model is configured.', 'offline'));
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'answer', type: 'llmReply', data: { allowHandoff: false, knowledgeBaseIds: ['kb-1'], retrieval: 'auto', topK: 2 } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'answer'], ['answer', 'end']],
  );
  const c = talk(h, conversationInput(graph));
  const first = await c.turn('When are you open?');
  const second = await c.turn('And on holidays?');
  expectPath(!!first.replies[0]?.citations?.length && second.replies[0]?.source === 'offline-responder', 'a cited answer, then a quoted passage');
  await closeAndSave(ctx, c, 'conversation-knowledge');
}

/** Handoff node, an agent takes over and replies, release walks on to the model, which hands off again by its tool. */
async function recordHandoff(ctx: RecordContext) {
  const { h } = ctx;
  modelHandingOff(h.fakes);
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'need', type: 'ask', data: { prompt: 'How can I help?', variable: 'need' } },
      { id: 'desk', type: 'handoff', data: { message: 'Connecting you to a person about {{need}}.', reason: 'asked for billing' } },
      { id: 'back', type: 'sendMessage', data: { text: 'The assistant is back.' } },
      { id: 'ai', type: 'llmReply', data: { allowHandoff: true } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'need'], ['need', 'desk'], ['desk', 'back'], ['back', 'ai'], ['ai', 'end']],
  );
  const c = talk(h, conversationInput(graph));
  await c.turn('hi');
  await c.turn('billing');
  await c.handle().signal('takeOver', { agent: 'Sam' });
  await c.handle().signal('agentMessage', { text: 'Hi, Sam here. Refund sent.', agent: 'Sam' });
  await until(c, (s) => s.status === 'human' && s.window.some((m) => m.content === 'Hi, Sam here. Refund sent.'));
  await c.handle().signal('release');
  await until(c, (s) => s.status === 'waiting' && s.trace.some((t) => t.nodeId === 'ai'));
  await closeAndSave(ctx, c, 'conversation-handoff');
}

/** The onboarding flow: ask retries and its invalid edge, a condition, then the handoff keyword. */
async function recordOnboarding(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(onboardingFlow()));
  for (const text of ['hello', 'Ada', 'not a number', 'still not', 'hi again', 'Grace', '42', 'talk to a human']) await c.turn(text);
  expectPath((await c.state()).status === 'waiting', 'the keyword handed off');
  await closeAndSave(ctx, c, 'conversation-onboarding');
}

/** A "Try it" conversation on a draft (version 0): node statuses are published, no events emitted. */
async function recordTryIt(ctx: RecordContext) {
  const c = talk(ctx.h, { ...conversationInput(onboardingFlow()), flowVersion: 0, test: true });
  for (const text of ['hello', 'Ada', '12']) await c.turn(text);
  expectPath(ctx.h.fakes.of(c.workflowId, 'publishNodeStatus').length > 0 && !ctx.h.fakes.of(c.workflowId, 'emitEvent').length, 'node statuses, no events');
  await closeAndSave(ctx, c, 'conversation-try-it');
}

/** A run past CONVERSATION_HISTORY_LIMIT events continues as new on that bound, not the server's suggestion (runs since the bounded-history patch). */
async function recordBoundedHistory(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(echoLoopFlow()));
  await c.turn('hello');
  const { runId } = await c.handle().describe();
  for (let i = 1; (await c.handle().describe()).runId === runId; i++) {
    expectPath(i <= 400, 'the conversation continued as new');
    await c.turn(`m${i}`);
    await settled(c);
  }
  const events = (await ctx.h.client.workflow.getHandle(c.workflowId, runId).fetchHistory()).events ?? [];
  expectPath(events.length > CONVERSATION_HISTORY_LIMIT && events.length < 4000, `continued on the bound (${events.length} events)`);
  await ctx.save('conversation-bounded-history', c.workflowId, runId);
}

/** ask → llmReply → ask with a window of two: each turn is answered, then its overflow folded into the summary. */
async function recordAnsweredBeforeFold(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(modelLoopFlow()));
  for (const text of ['hello', 'first', 'second', 'third']) await c.turn(text);
  await settled(c);
  expectPath(ctx.h.fakes.of(c.workflowId, 'summarize').length >= 2, 'the context folded after the turns');
  await closeAndSave(ctx, c, 'conversation-answered-before-fold');
}

/**
 * The echo loop (no node reads the context) past UNREAD_CONTEXT_SLACK messages: one fold of them
 * all, in the workflow. (`conversation-unread-context` is the same run from before, folding in a
 * summarize activity.)
 */
async function recordUnreadContextInWorkflow(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(echoLoopFlow()));
  await c.turn('hello');
  for (let i = 1; (await c.state()).summary === ''; i++) {
    expectPath(i <= 30, 'the window reached its slack');
    await c.turn(`m${i}`);
  }
  expectPath(ctx.h.fakes.of(c.workflowId, 'summarize').length === 0, 'folded without a summarize activity');
  await settled(c);
  await closeAndSave(ctx, c, 'conversation-unread-context-in-workflow');
}

/** The onboarding flow on web chat: a turn's replies (the greeting and the next question) stored in one local activity. */
async function recordBatchedReplies(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(onboardingFlow()));
  for (const text of ['hello', 'Ada', '42']) await c.turn(text);
  expectPath((await c.localActivityTags()).some((t) => t.type === 'deliverMessages'), 'replies stored together');
  await closeAndSave(ctx, c, 'conversation-batched-replies');
}

/** Turn 1 is an appointment's answer whose run is over: its walk is discarded and walked again; turns 2 and 3 are stored in one activity each. */
async function recordTurnInOneActivity(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(onboardingFlow()));
  ctx.h.fakes.impl.recordInbound = async ({ key, text }) => ({ messageId: key, ...(text === 'C' ? { appointmentWorkflowId: 'appt:t1:over' } : {}) });
  try {
    for (const text of ['C', 'Ada', '42']) await c.turn(text);
  } finally {
    ctx.h.fakes.reset();
  }
  const tags = await c.localActivityTags();
  expectPath(tags.filter((t) => t.type === 'recordTurn').length === 3 && !tags.some((t) => t.type === 'recordInbound'), 'each contact message stored with its replies');
  expectPath(tags.some((t) => t.type === 'deliverMessages'), 'the discarded walk walked again, its replies stored on their own');
  await closeAndSave(ctx, c, 'conversation-turn-in-one-activity');
}

/** The onboarding flow since the one-marker patch: one patch marker, and no upsert of the attributes the start set. */
async function recordOneMarker(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(onboardingFlow()));
  for (const text of ['hello', 'Ada', '42']) await c.turn(text);
  const facts = historyFacts(await c.handle().fetchHistory());
  expectPath(facts.patches.join() === ONE_MARKER_PATCH, `one patch marker (${facts.patches.join()})`);
  expectPath(facts.upserts.every((keys) => keys.join() === 'TemporalChangeVersion'), `no attributes upserted at start (${JSON.stringify(facts.upserts)})`);
  await closeAndSave(ctx, c, 'conversation-one-patch-marker');
}

export const conversationRecorders: Record<string, Recorder> = {
  'conversation-one-patch-marker': { record: recordOneMarker },
  'conversation-turn-in-one-activity': { record: recordTurnInOneActivity },
  'conversation-batched-replies': { record: recordBatchedReplies },
  'conversation-answered-before-fold': { record: recordAnsweredBeforeFold },
  'conversation-unread-context-in-workflow': { record: recordUnreadContextInWorkflow },
  'conversation-nodes': { record: recordNodes },
  'conversation-llm-tools': { record: recordLlmTools },
  'conversation-knowledge': { record: recordKnowledge },
  'conversation-handoff': { record: recordHandoff },
  'conversation-onboarding': { record: recordOnboarding },
  'conversation-try-it': { record: recordTryIt },
  'conversation-bounded-history': { record: recordBoundedHistory },
};
