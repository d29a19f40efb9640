/**
 * Recordings of the voice nodes on `ivrCall` runs (the callEvent updates Twilio's webhooks become):
 * businessHours open → transfer to a number whose line is busy → the conference room, left when
 * the caller hangs up there; and businessHours closed → voicemail recorded, stored, transcribed and
 * kept → hangup, with the human agents' transfer tried in turn first (no answer, then answered).
 */
import { randomBytes } from 'node:crypto';
import type { CallEvent } from '../../../core/voice/types';
import { IvrCallClient } from '../../../temporal/ivr-call';
import type { IvrCallInput } from '../../../workflows/messages';
import { flowRunStateQuery } from '../../../workflows/messages';
import { talk } from '../../workflows/support/conversation';
import { conversationInput, flow } from '../../workflows/support/flows';
import { closeAndSave } from './conversation';
import { startRun } from './flow-run';
import { expectPath, type RecordContext, type Recorder } from './types';

const graph = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'hours', type: 'businessHours', data: { variable: 'hours' } },
      { id: 'desk', type: 'transfer', data: { target: 'number', number: '+4930123456', whisper: 'Caller {{call.from}}' } },
      { id: 'room', type: 'conference', data: { room: 'overflow' } },
      { id: 'agents', type: 'transfer', data: { target: 'agents', announcement: '' } },
      { id: 'vm', type: 'record', data: { maxLengthSeconds: 60 } },
      { id: 'bye', type: 'hangup', data: { message: 'Goodbye.' } },
    ],
    [
      ['start', 'hours'],
      ['hours', 'desk', 'open'],
      ['hours', 'agents', 'closed'],
      ['desk', 'bye', 'completed'],
      ['desk', 'room', 'busy'],
      ['room', 'bye', 'completed'],
      ['agents', 'vm', 'completed'],
      ['agents', 'vm', 'failed'],
      ['vm', 'bye', 'recorded'],
      ['vm', 'bye', 'empty'],
    ],
  );

function call(ctx: RecordContext) {
  const client = new IvrCallClient(ctx.h.client, ctx.h.taskQueue);
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const input: IvrCallInput = {
    tenantId: 't1',
    channelId: '00000000-0000-4000-8000-0000000000c1',
    callSid,
    direction: 'inbound',
    from: '+14155550123',
    to: '+14155550199',
    flowId: 'flow1',
    flowVersion: 1,
    graph: graph(),
    callbackBase: 'https://switchboard.test/v1/webhooks/voice/00000000-0000-4000-8000-0000000000c1',
    voiceProfileId: null,
  };
  const base = { callSid, callStatus: 'in-progress' as const };
  const send = (ev: CallEvent) => client.event(input, ev);
  return {
    workflowId: `call:t1:${callSid}`,
    answer: () => send({ ...base, kind: 'answered', from: input.from, to: input.to, direction: 'inbound', answeredBy: null }),
    dialed: (nodeId: string, dialCallStatus: 'completed' | 'answered' | 'busy' | 'no-answer') => send({ ...base, kind: 'dial', nodeId, dialCallStatus, dialCallSid: `CA${randomBytes(16).toString('hex')}`, dialCallDuration: 20 }),
    recorded: (nodeId: string) => send({ ...base, kind: 'record', nodeId, phase: 'action', recordingSid: 'RE1', recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1', recordingDuration: 7, recordingStatus: 'completed', digits: '#' }),
    hangUp: () => send({ kind: 'status', callSid, callStatus: 'completed', callDuration: 60, sequenceNumber: 4, timestamp: null, answeredBy: null }),
    input,
  };
}

const pathOf = async (ctx: RecordContext, workflowId: string) => ((await ctx.h.client.workflow.getHandle(workflowId).query<{ path: string[] }>('state')).path ?? []).filter((n, i, all) => n !== all[i - 1]);

async function recordOpen(ctx: RecordContext) {
  const c = call(ctx);
  const first = await c.answer();
  expectPath(!!first?.verbs.some((v) => v.verb === 'dial'), 'open: the desk is dialled');
  const room = await c.dialed('desk', 'busy');
  expectPath(!!room?.verbs.some((v) => v.verb === 'conference'), 'busy: the conference room');
  await c.dialed('room', 'completed');
  await c.hangUp();
  await ctx.h.client.workflow.getHandle(c.workflowId).result();
  const path = await pathOf(ctx, c.workflowId);
  expectPath(path.join(',') === 'start,hours,desk,room,bye', `open → desk → room → bye (saw ${path.join(',')})`);
  await ctx.save('ivr-call-transfer-conference', c.workflowId);
}

async function recordClosed(ctx: RecordContext) {
  ctx.h.fakes.impl.openingHoursStatus = async ({ at }) => ({ open: false, reason: 'holiday', timezone: 'Europe/Berlin', localTime: new Date(at).toISOString().slice(0, 16), exception: 'Founders day' });
  const c = call(ctx);
  await c.answer();
  const second = await c.dialed('agents', 'no-answer');
  expectPath(!!second?.verbs.some((v) => v.verb === 'dial' && v.number === '+15550000002'), 'the second agent rings');
  const vm = await c.dialed('agents', 'answered');
  expectPath(!!vm?.verbs.some((v) => v.verb === 'record'), 'after the agent: voicemail');
  await c.recorded('vm');
  await c.hangUp();
  await ctx.h.client.workflow.getHandle(c.workflowId).result();
  const path = await pathOf(ctx, c.workflowId);
  expectPath(path.join(',') === 'start,hours,agents,vm,bye', `closed (holiday, unconnected) → agents → vm → bye (saw ${path.join(',')})`);
  expectPath(ctx.h.fakes.calls.some((x) => x.name === 'transcribeAudio') && ctx.h.fakes.calls.some((x) => x.name === 'recordVoicemail'), 'the voicemail was transcribed and kept');
  await ctx.save('ivr-call-agents-voicemail', c.workflowId);
}

export const ivrCallNodeRecorders: Record<string, Recorder> = {
  'ivr-call-transfer-conference': { record: recordOpen },
  'ivr-call-agents-voicemail': { record: recordClosed },
};

/** The voice nodes in a chat and an automation: businessHours branches; transfer and conference follow failed and record empty (no call to act on). */
const chatGraph = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'hours', type: 'businessHours', data: {} },
      { id: 'desk', type: 'transfer', data: { target: 'sip', sipUri: 'sip:desk@pbx.example.com' } },
      { id: 'room', type: 'conference', data: { room: 'team' } },
      { id: 'vm', type: 'record', data: {} },
      { id: 'note', type: 'sendMessage', data: { text: 'Closed now.' } },
      { id: 'end', type: 'end' },
    ],
    [
      ['start', 'hours'],
      ['hours', 'desk', 'open'],
      ['hours', 'note', 'closed'],
      ['desk', 'end', 'completed'],
      ['desk', 'room', 'failed'],
      ['room', 'end', 'completed'],
      ['room', 'vm', 'failed'],
      ['vm', 'end', 'recorded'],
      ['vm', 'note', 'empty'],
      ['note', 'end'],
    ],
  );

async function recordConversation(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(chatGraph()));
  await c.turn('hello');
  const { trace } = await c.state();
  const handles = trace.map((t) => `${t.nodeId}:${t.handle ?? ''}`).join(',');
  expectPath(handles.includes('hours:open') && handles.includes('desk:failed') && handles.includes('room:failed') && handles.includes('vm:empty'), `a chat falls through the call nodes (saw ${handles})`);
  await closeAndSave(ctx, c, 'conversation-call-nodes');
}

async function recordFlowRun(ctx: RecordContext) {
  ctx.h.fakes.impl.openingHoursStatus = async ({ at }) => ({ open: false, reason: 'closed', timezone: 'UTC', localTime: new Date(at).toISOString().slice(0, 16) });
  const run = await startRun(ctx.h, chatGraph(), {});
  const output = await run.result();
  expectPath(output.status === 'completed', 'the automation completed');
  expectPath((await run.query(flowRunStateQuery)).trace.some((t) => t.nodeId === 'hours' && t.handle === 'closed'), 'followed closed');
  // The automation visits businessHours only; transfer, conference and record run in the conversation above and on calls.
  await ctx.save('flowrun-business-hours', run.workflowId);
}

async function recordFlowRunCallNodes(ctx: RecordContext) {
  const run = await startRun(ctx.h, chatGraph(), {});
  const output = await run.result();
  expectPath(output.status === 'completed', 'the automation completed');
  expectPath((await run.query(flowRunStateQuery)).trace.some((t) => t.nodeId === 'vm' && t.handle === 'empty'), 'record had no call: empty');
  await ctx.save('flowrun-call-nodes', run.workflowId);
}

ivrCallNodeRecorders['conversation-call-nodes'] = { record: recordConversation };
ivrCallNodeRecorders['flowrun-business-hours'] = { record: recordFlowRun };
ivrCallNodeRecorders['flowrun-call-nodes'] = { record: recordFlowRunCallNodes };
