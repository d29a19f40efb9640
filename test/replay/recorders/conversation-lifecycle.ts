/**
 * `conversation` recordings of a conversation's life on an asynchronous channel: `inbound`
 * signals with provider ids (a redelivery makes no second turn), replies sent through the channel,
 * continue-as-new carrying the seen ids, the ask timeout and the idle close.
 */
import type { Channel } from '../../../core/messages';
import { talk } from '../../workflows/support/conversation';
import { conversationInput, echoLoopFlow, flow } from '../../workflows/support/flows';
import { closeAndSave, settled, until } from './conversation';
import { expectPath, type RecordContext, type Recorder } from './types';

const onChannel = (channel: Channel, graph: ReturnType<typeof flow>) => ({ ...conversationInput(graph), channel });

/** A WhatsApp conversation: a choice question, a redelivered message, a reply with a file. */
async function recordChannel(ctx: RecordContext) {
  const { h } = ctx;
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'menu', type: 'ask', data: { prompt: 'Sales or support?', variable: 'topic', inputType: 'choice', choices: ['Sales', 'Support'] } },
      { id: 'brochure', type: 'sendMessage', data: { text: 'Our {{topic}} brochure.', media: { url: 'https://cdn.test/brochure.pdf', contentType: 'application/pdf' } } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'menu'], ['menu', 'brochure'], ['brochure', 'end']],
  );
  const c = talk(h, onChannel('whatsapp', graph));
  await c.inbound({ text: 'hi', externalId: 'wamid.1' });
  await until(c, (s) => s.turn === 1 && s.cursor?.nodeId === 'menu');
  await c.inbound({ text: 'hi', externalId: 'wamid.1' });
  await c.inbound({ text: 'Sales', externalId: 'wamid.2', metadata: { interactive: { id: 'Sales' } } });
  await until(c, (s) => s.turn === 2 && s.cursor === null);
  expectPath(h.fakes.of(c.workflowId, 'recordInbound').length === 2 && h.fakes.of(c.workflowId, 'sendChannelMessage').length === 2, 'one turn per provider id, each reply sent');
  await closeAndSave(ctx, c, 'conversation-channel');
}

/** Turns on SMS until the server suggests continue-as-new; the next run ignores a redelivered id of the first. */
async function recordContinueAsNew(ctx: RecordContext) {
  const { h } = ctx;
  const c = talk(h, onChannel('sms', echoLoopFlow()));
  await c.inbound({ text: 'hello', externalId: 'SM0' });
  await until(c, (s) => s.turn === 1);
  const { runId: firstRunId } = await c.handle().describe();
  for (let i = 1; (await c.handle().describe()).runId === firstRunId; i++) {
    if (i > 30) throw new Error('the server never suggested continue-as-new');
    await c.inbound({ text: `m${i}`, externalId: `SM${i}` });
    await until(c, (s) => s.turn === i + 1);
    await settled(c);
  }
  const next = await c.state();
  expectPath(next.generation === 1 && (next.seenExternalIds ?? []).includes('SM1'), 'the seen ids crossed continue-as-new');
  await c.inbound({ text: 'm1', externalId: 'SM1' });
  await c.inbound({ text: 'last one', externalId: 'SM-last' });
  await until(c, (s) => s.turn === next.turn + 1 && s.variables.last === 'last one');
  await ctx.save('conversation-continue-as-new', c.workflowId, firstRunId);
  await closeAndSave(ctx, c, 'conversation-continue-as-new-next');
}

/** An ask that times out follows its timeout edge; three seconds of silence close the conversation. */
async function recordIdleTimeout(ctx: RecordContext) {
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'email', type: 'ask', data: { prompt: 'Your e-mail?', variable: 'email', inputType: 'email', timeoutSeconds: 1 } },
      { id: 'thanks', type: 'sendMessage', data: { text: 'Thanks!' } },
      { id: 'nudge', type: 'sendMessage', data: { text: 'Still there? Write any time.' } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'email'], ['email', 'thanks'], ['thanks', 'end'], ['email', 'nudge', 'timeout'], ['nudge', 'end']],
    { idleTimeoutMinutes: 0.05 },
  );
  const c = talk(ctx.h, conversationInput(graph));
  await c.turn('hi');
  await c.handle().result();
  const state = await c.state();
  expectPath(state.status === 'closed' && state.trace.some((t) => t.nodeId === 'nudge'), 'the ask timed out, then the idle timer closed');
  await ctx.save('conversation-idle-timeout', c.workflowId);
}

export const conversationLifecycleRecorders: Record<string, Recorder> = {
  'conversation-channel': { record: recordChannel },
  // A low threshold, so a few turns make the server suggest continue-as-new.
  'conversation-continue-as-new': { record: recordContinueAsNew, serverConfig: { 'limit.historyCount.suggestContinueAsNew': 40 } },
  'conversation-idle-timeout': { record: recordIdleTimeout },
};
