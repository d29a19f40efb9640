/**
 * Recordings of the csat node. A conversation: an unreadable reply asked again, a low rating with
 * its follow-up comment (unsatisfied), then a second round with two unreadable replies (noAnswer)
 * and a third with a thumbs-up style answer (satisfied). A flowRun: a thumbs rating by `resume`.
 */
import { flowRunStateQuery, resumeSignal } from '../../../workflows/messages';
import { talk } from '../../workflows/support/conversation';
import { conversationInput, flow } from '../../workflows/support/flows';
import { closeAndSave } from './conversation';
import { startRun, waitingAt } from './flow-run';
import { expectPath, type RecordContext, type Recorder } from './types';

const csatGraph = (data: Record<string, unknown>) =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'rate', type: 'csat', data: { question: 'How did we do?', ...data } },
      { id: 'thanks', type: 'sendMessage', data: { text: 'Thanks for the {{csat_score}}!' } },
      { id: 'sorry', type: 'sendMessage', data: { text: 'Sorry about the {{csat_score}}.' } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'rate'], ['rate', 'thanks', 'satisfied'], ['rate', 'sorry', 'unsatisfied'], ['rate', 'end', 'noAnswer'], ['thanks', 'end'], ['sorry', 'end']],
  );

async function recordConversationCsat(ctx: RecordContext) {
  const c = talk(ctx.h, conversationInput(csatGraph({ followUp: 'What could we do better?' })));
  for (const text of ['hi', 'hmm', '2', 'Answer faster', 'hello again', 'no idea', 'whatever', 'hi', 'excellent', 'nothing']) await c.turn(text);
  const { trace } = await c.state();
  const handles = trace.filter((t) => t.nodeId === 'rate' && t.handle).map((t) => t.handle);
  expectPath(handles.join(',') === 'unsatisfied,noAnswer,satisfied', `rated low, not at all, then high (saw ${handles.join(',')})`);
  await closeAndSave(ctx, c, 'conversation-csat');
}

async function recordFlowRunCsat(ctx: RecordContext) {
  const run = await startRun(ctx.h, csatGraph({ scale: 'thumbs' }), {});
  await waitingAt(run, 'rate');
  await run.signal(resumeSignal, { text: '👍' });
  const output = await run.result();
  expectPath(output.status === 'completed' && (output.variables as { csat_score?: number }).csat_score === 5, 'a thumbs up in a flow run');
  expectPath((await run.query(flowRunStateQuery)).trace.some((t) => t.nodeId === 'rate' && t.handle === 'satisfied'), 'followed satisfied');
  await ctx.save('flowrun-csat', run.workflowId);
}

export const csatRecorders: Record<string, Recorder> = {
  'conversation-csat': { record: recordConversationCsat },
  'flowrun-csat': { record: recordFlowRunCsat },
};
