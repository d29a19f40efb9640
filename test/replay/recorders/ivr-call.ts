/**
 * Recording of the ivrCall workflow: one inbound call, every webhook a `callEvent` update (the first
 * by update-with-start). A known caller is greeted by name (say), hears a file (play), answers a menu
 * wrongly then by a spoken keyword (noMatch retry, key1), types a number with a silence and an
 * invalid entry first (gather retries), is told the result by a chat node (sendMessage), and hangs
 * up after the goodbye (hangup); the status callback ends the run.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { CallEvent } from '../../../core/voice/types';
import { callEventUpdate, callStateQuery, type IvrCallInput } from '../../../workflows/messages';
import { flow } from '../../workflows/support/flows';
import { expectPath, type RecordContext, type Recorder } from './types';

const SID = 'CA0123456789abcdef0123456789abcdef';
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

async function recordCall(ctx: RecordContext) {
  const workflowId = `call:t1:${SID}`;
  const input: IvrCallInput = {
    tenantId: 't1', channelId: 'channel1', callSid: SID, direction: 'inbound', from: FROM, to: '+14155550199',
    flowId: 'flow1', flowVersion: 3, graph: graph(), callbackBase: 'https://switchboard.example/v1/webhooks/voice/channel1', voiceProfileId: null,
  };
  const startWorkflowOperation = new WithStartWorkflowOperation('ivrCall', { workflowId, taskQueue: ctx.h.taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' });
  const first = await ctx.h.client.workflow.executeUpdateWithStart(callEventUpdate, {
    args: [{ kind: 'answered', ...base, from: FROM, to: '+14155550199', direction: 'inbound', answeredBy: null }],
    startWorkflowOperation,
  });
  expectPath(first.verbs.some((v) => v.verb === 'gather'), 'the menu listens after the greeting and the file');
  const handle = ctx.h.client.workflow.getHandle(workflowId);
  const send = (ev: CallEvent) => handle.executeUpdate(callEventUpdate, { args: [ev] });
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

export const ivrCallRecorders: Record<string, Recorder> = {
  'ivr-call': { record: recordCall },
};
