/**
 * The marketing assistant's conversation (the `assistant` flag on a test conversation): a turn in
 * which the model calls one of the assistant's tools and answers citing its figures, then a turn
 * without a model answered by `assistantOffline`.
 */
import { assistantGraph } from '../../../core/assistant/graph';
import { talk } from '../../workflows/support/conversation';
import { conversationInput } from '../../workflows/support/flows';
import { closeAndSave } from './conversation';
import { modelAnswer, modelUsingTools, toolCall } from './model';
import { expectPath, type RecordContext, type Recorder } from './types';

async function recordAssistant(ctx: RecordContext) {
  const c = talk(ctx.h, { ...conversationInput(assistantGraph()), test: true, assistant: true });
  modelUsingTools(ctx.h.fakes, [toolCall('call_overview', 'analytics_overview', { period: 'last_week' })], 'You had 10 conversations last week.');
  const online = await c.turn('How did last week go?');
  expectPath(online.replies[0]?.citations?.[0]?.documentId === 'tool:analytics_overview', `the answer cites the tool (saw ${JSON.stringify(online.replies[0]?.citations)})`);
  ctx.h.fakes.impl.llmChat = async () => modelAnswer('No language model is configured.', 'offline');
  const offline = await c.turn('How many handoffs?');
  expectPath(offline.replies[0]?.text === 'offline answer to How many handoffs?', `the offline answer (saw ${offline.replies[0]?.text})`);
  await closeAndSave(ctx, c, 'conversation-assistant');
}

export const assistantRecorders: Record<string, Recorder> = {
  'conversation-assistant': { record: recordAssistant },
};
