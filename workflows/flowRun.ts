/**
 * `flowRun`: an automation run of a flow graph, input → output. An `ask` (or a handoff) waits for
 * the `resume` signal; a failing node fails the run's output, not the workflow.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { answer, inputTimeoutMs, timeout, walk } from './flow/interpreter';
import type { WalkResult } from './flow/types';
import { flowRunStateQuery, resumeSignal, type FlowRunInput, type FlowRunOutput } from './messages';
import { FlowRunSession } from './runtime/flow-run-session';
import { setRunAttributes } from './runtime/search-attributes';

export async function flowRun(input: FlowRunInput): Promise<FlowRunOutput> {
  const s = new FlowRunSession(input);
  setHandler(resumeSignal, (msg) => {
    s.inbox.push(msg?.text ?? '');
  });
  setHandler(flowRunStateQuery, () => s.state());
  setRunAttributes({ TenantId: input.tenantId, FlowId: input.flowId, FlowVersion: input.flowVersion, Stage: s.status });

  let result: WalkResult = await walk(s, s.graph.startId);
  for (;;) {
    if (result.state === 'awaiting') {
      s.setStatus('waiting', result.nodeId);
      const ms = inputTimeoutMs(s, result.nodeId);
      const replied = ms === null ? (await condition(() => s.inbox.length > 0), true) : await condition(() => s.inbox.length > 0, ms);
      s.setStatus('running');
      result = replied ? await answer(s, result, s.takeReply()) : await timeout(s, result);
    } else if (result.state === 'handoff') {
      // Already 'waiting' (set by the handoff); `resume` plays the agent's release.
      await condition(() => s.inbox.length > 0);
      s.takeReply();
      s.setStatus('running');
      if (!result.resumeNodeId) break;
      result = await walk(s, result.resumeNodeId);
    } else break;
  }

  const failed = result.state === 'failed';
  s.setStatus(failed ? 'failed' : 'completed', null);
  const output: FlowRunOutput = {
    status: failed ? 'failed' : 'completed',
    variables: s.variables,
    messages: s.messages,
    ...(result.state === 'failed' ? { error: { nodeId: result.nodeId, message: result.error } } : {}),
  };
  // The flow id lets analytics count a failed run against its flow.
  await s.emit(failed ? 'run.failed' : 'run.completed', { flowId: input.flowId, status: output.status, ...(output.error ? { error: output.error } : {}) });
  await condition(allHandlersFinished);
  return output;
}
