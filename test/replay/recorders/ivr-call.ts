/**
 * Recording of the ivrCall workflow: one inbound call, every webhook a `callEvent` update (the first
 * by update-with-start). A known caller is greeted by name (say), hears a file (play), answers a menu
 * wrongly then by a spoken keyword (noMatch retry, key1), types a number with a silence and an
 * invalid entry first (gather retries), is told the result by a chat node (sendMessage), and hangs
 * up after the goodbye (hangup); the status callback ends the run.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { CallEvent } from '../../../core/voice/types';
import { callEventUpdate, callStateQuery, flowRunStateQuery, resumeSignal, type IvrCallInput } from '../../../workflows/messages';
import { talk } from '../../workflows/support/conversation';
import { conversationInput, flow } from '../../workflows/support/flows';
import { closeAndSave } from './conversation';
import { startRun, waitingAt } from './flow-run';
import { expectPath, type RecordContext, type Recorder } from './types';

const SID = 'CA0123456789abcdef0123456789abcdef';
const CHANNEL = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const FROM = '+14155550100';

const graph = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'hello', type: 'say', data: { text: 'Hello {{caller.name}}.' } },
      { id: 'jingle', type: 'play', data: { url: 'https://media.example/jingle.mp3', caption: 'A short jingle' } },
      { id: 'menu', type: 'menu', data: { prompt: 'Press 1 or say booking.', options: [{ key: '1', keywords: ['booking'] }], retries: 1 } },
      { id: 'people', type: 'gather', data: { prompt: 'How many people?', variable: 'people', inputType: 'number', maxRetries: 2 } },
      { id: 'told', type: 'sendMessage', data: { text: 'A table for {{people}}.' } },
      { id: 'bye', type: 'hangup', data: { message: 'Goodbye.' } },
      { id: 'lost', type: 'hangup', data: {} },
    ],
    [['start', 'hello'], ['hello', 'jingle'], ['jingle', 'menu'], ['menu', 'people', 'key1'], ['menu', 'lost', 'noMatch'], ['menu', 'lost', 'noInput'], ['people', 'told'], ['told', 'bye']],
  );

const base = { callSid: SID, callStatus: 'in-progress' as const };
const gather = (nodeId: string, digits: string | null, speech: string | null): CallEvent => ({ kind: 'gather', ...base, nodeId, digits, speech, confidence: speech ? 0.9 : null });

/** Answers a call of `graph` (update-with-start); returns how to send its next webhooks. */
async function answerCall(ctx: RecordContext, callGraph: IvrCallInput['graph'], sid: string) {
  const workflowId = `call:t1:${sid}`;
  const input: IvrCallInput = {
    tenantId: 't1', channelId: 'channel1', callSid: sid, direction: 'inbound', from: FROM, to: '+14155550199',
    flowId: 'flow1', flowVersion: 3, graph: callGraph, callbackBase: 'https://switchboard.example/v1/webhooks/voice/channel1', voiceProfileId: null,
  };
  const startWorkflowOperation = new WithStartWorkflowOperation('ivrCall', { workflowId, taskQueue: ctx.h.taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' });
  const first = await ctx.h.client.workflow.executeUpdateWithStart(callEventUpdate, {
    args: [{ kind: 'answered', callSid: sid, callStatus: 'in-progress', from: FROM, to: '+14155550199', direction: 'inbound', answeredBy: null }],
    startWorkflowOperation,
  });
  const handle = ctx.h.client.workflow.getHandle(workflowId);
  return { workflowId, handle, first, send: (ev: CallEvent) => handle.executeUpdate(callEventUpdate, { args: [ev] }) };
}

async function recordCall(ctx: RecordContext) {
  const { workflowId, handle, first, send } = await answerCall(ctx, graph(), SID);
  expectPath(first.verbs.some((v) => v.verb === 'gather'), 'the menu listens after the greeting and the file');
  await send(gather('menu', '9', null));
  await send(gather('menu', null, 'a booking please'));
  await send(gather('people', null, null));
  await send(gather('people', 'abc', null));
  const last = await send(gather('people', '4', null));
  expectPath(last.verbs.at(-1)?.verb === 'hangup', 'the goodbye ends the call');
  const state = await handle.query(callStateQuery);
  expectPath(state.variables.people === 4 && state.path.join(',') === 'start,hello,jingle,menu,people,told,bye', `took its path (saw ${state.path.join(',')})`);
  await send({ kind: 'status', ...base, callStatus: 'completed', callDuration: 61, sequenceNumber: 4, timestamp: null, answeredBy: null });
  await handle.result();
  await ctx.save('ivr-call', workflowId);
}

/** Chat nodes on a call: setVariable, condition, ask (speech), httpRequest, llmReply (spoken), wait (a pause), placeCall, csat (speech), end. */
const chatOnCall = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'count', type: 'setVariable', data: { variable: 'calls', expression: 'number(calls) + 1' } },
      { id: 'first', type: 'condition', data: { expression: 'calls == 1' } },
      { id: 'name', type: 'ask', data: { prompt: 'Your name, please?', variable: 'name' } },
      { id: 'lookup', type: 'httpRequest', data: { method: 'GET', url: 'https://api.test/guests/{{name}}', responseMapping: { table: 'body.table' } } },
      { id: 'answer', type: 'llmReply', data: { allowHandoff: false } },
      { id: 'hold', type: 'wait', data: { seconds: 2 } },
      { id: 'callback', type: 'placeCall', data: { channelId: CHANNEL, to: '+14155550123', variables: { about: 'table for {{name}}' } } },
      { id: 'rate', type: 'csat', data: { question: 'From 1 to 5, how did we do?' } },
      { id: 'end', type: 'end', data: { message: 'Thank you, {{name}}.' } },
    ],
    [['start', 'count'], ['count', 'first'], ['first', 'name', 'true'], ['first', 'end', 'false'], ['name', 'lookup'], ['lookup', 'answer'], ['lookup', 'answer', 'error'], ['answer', 'hold'], ['hold', 'callback'], ['callback', 'rate'], ['rate', 'end', 'satisfied'], ['rate', 'end', 'unsatisfied'], ['rate', 'end', 'noAnswer']],
    { variables: { calls: 0 } },
  );

async function recordChatNodesOnCall(ctx: RecordContext) {
  const sid = 'CAfedcba9876543210fedcba9876543210';
  const { workflowId, handle, send } = await answerCall(ctx, chatOnCall(), sid);
  const said = (ev: CallEvent & { kind: 'gather' }) => send(ev);
  await said({ kind: 'gather', callSid: sid, callStatus: 'in-progress', nodeId: 'name', digits: null, speech: 'Ada', confidence: 0.9 });
  const last = await said({ kind: 'gather', callSid: sid, callStatus: 'in-progress', nodeId: 'rate', digits: '5', speech: null, confidence: null });
  expectPath(last.verbs.some((v) => v.verb === 'pause') || last.verbs.at(-1)?.verb === 'hangup', 'the rating ends the call');
  const state = await handle.query(callStateQuery);
  expectPath(state.path.join(',') === 'start,count,first,name,lookup,answer,hold,callback,rate,end', `took its path (saw ${state.path.join(',')})`);
  await send({ kind: 'status', callSid: sid, callStatus: 'completed', callDuration: 33, sequenceNumber: 3, timestamp: null, answeredBy: null });
  await handle.result();
  await ctx.save('ivr-call-chat-nodes', workflowId);
}

/** The voice nodes in a chat: say and play send messages, menu and gather take typed answers, placeCall calls back, hangup ends. */
const voiceInChat = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'hello', type: 'say', data: { text: 'Hello!' } },
      { id: 'jingle', type: 'play', data: { url: 'https://media.example/jingle.mp3', caption: 'Our jingle' } },
      { id: 'menu', type: 'menu', data: { prompt: 'Type 1 or booking.', options: [{ key: '1', keywords: ['booking'] }], retries: 0 } },
      { id: 'people', type: 'gather', data: { prompt: 'How many people?', variable: 'people', inputType: 'number' } },
      { id: 'callback', type: 'placeCall', data: { channelId: CHANNEL, to: '+14155550123', variables: { people: '{{people}}' }, saveAs: 'reminder' } },
      { id: 'bye', type: 'hangup', data: { message: 'A table for {{people}}. Bye!' } },
    ],
    [['start', 'hello'], ['hello', 'jingle'], ['jingle', 'menu'], ['menu', 'people', 'key1'], ['menu', 'bye', 'noMatch'], ['menu', 'bye', 'noInput'], ['people', 'callback'], ['callback', 'bye']],
  );

async function recordVoiceNodesInConversation(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(voiceInChat()));
  for (const text of ['hi', 'a booking', '4']) await c.turn(text);
  const { trace } = await c.state();
  expectPath(trace.some((t) => t.nodeId === 'menu' && t.handle === 'key1') && trace.some((t) => t.nodeId === 'people' && t.handle === 'next') && trace.some((t) => t.nodeId === 'bye'), 'menu by keyword, a number, goodbye');
  await closeAndSave(ctx, c, 'conversation-voice-nodes');
}

async function recordVoiceNodesInFlowRun(ctx: RecordContext) {
  const run = await startRun(ctx.h, voiceInChat(), {});
  await waitingAt(run, 'menu');
  await run.signal(resumeSignal, { text: '1' });
  await waitingAt(run, 'people');
  await run.signal(resumeSignal, { text: '3' });
  const output = await run.result();
  expectPath(output.status === 'completed' && output.messages.some((m) => m.text === 'A table for 3. Bye!'), 'the run took its path');
  expectPath((await run.query(flowRunStateQuery)).trace.some((t) => t.nodeId === 'menu' && t.handle === 'key1'), 'menu by key');
  await ctx.save('flowrun-voice-nodes', run.workflowId);
}

export const ivrCallRecorders: Record<string, Recorder> = {
  'ivr-call': { record: recordCall },
  'ivr-call-chat-nodes': { record: recordChatNodesOnCall },
  'conversation-voice-nodes': { record: recordVoiceNodesInConversation },
  'flowrun-voice-nodes': { record: recordVoiceNodesInFlowRun },
};
