/**
 * The one graph interpreter behind every workflow: walks from a node, dispatching each node to its
 * handler and following edges by handle, until the walk must wait (ask, handoff), ends or fails.
 */
import { isCancellation } from '@temporalio/workflow';
import type { ValidNode } from '../../core/graph/schema';
import type { CallEvent } from '../../core/voice/types';
import { errorMessage, WalkAbandoned } from './errors';
import { handlerFor } from './handlers';
import type { FlowRuntime, Outcome, WalkResult } from './types';

/** Node visits per walk without waiting for the contact: catches loops like condition → setVariable → condition. */
export const MAX_STEPS_PER_WALK = 200;

type Step = (node: ValidNode) => Promise<Outcome>;

export const walk = (rt: FlowRuntime, fromNodeId: string) => drive(rt, fromNodeId, (n) => handlerFor(n).run(n, rt));

/** Resumes a walk suspended at a node that waits for input, with the contact's reply. */
export const answer = (rt: FlowRuntime, cursor: { nodeId: string; retries: number }, text: string) =>
  drive(rt, cursor.nodeId, (n) => {
    const h = handlerFor(n);
    return h.answer ? h.answer(n, rt, text, cursor.retries) : Promise.resolve(fail(`node '${n.id}' does not take answers`));
  });

/** Resumes a walk suspended at a voice node with the call's next event (workflows/voice/runtime.ts). */
export const callEvent = (rt: FlowRuntime, cursor: { nodeId: string; retries: number }, event: CallEvent) =>
  drive(rt, cursor.nodeId, (n) => {
    const h = handlerFor(n);
    return h.event ? h.event(n, rt, event, cursor.retries) : Promise.resolve(fail(`node '${n.id}' does not take call events`));
  });

/** Resumes a walk suspended at a node whose reply did not come in time. */
export const timeout = (rt: FlowRuntime, cursor: { nodeId: string; retries: number }) =>
  drive(rt, cursor.nodeId, (n) => {
    const h = handlerFor(n);
    return h.timeout ? h.timeout(n, rt, cursor.retries) : Promise.resolve({ kind: 'end' } as const);
  });

/** Milliseconds before an awaiting node gives up; null when it waits forever. */
export function inputTimeoutMs(rt: Pick<FlowRuntime, 'graph'>, nodeId: string): number | null {
  const node = rt.graph.node(nodeId);
  return (node && handlerFor(node).inputTimeoutMs?.(node)) ?? null;
}

async function drive(rt: FlowRuntime, startId: string, first: Step): Promise<WalkResult> {
  let nodeId = startId;
  let step = first;
  for (let steps = 0; ; steps++) {
    const node = rt.graph.node(nodeId);
    if (!node) return { state: 'failed', nodeId, error: `node '${nodeId}' does not exist in this flow version` };
    const entry = rt.trace.begin(node.id, node.type, rt.turn);
    rt.path?.visit(node.id);
    if (steps >= MAX_STEPS_PER_WALK) {
      const error = `stopped after ${MAX_STEPS_PER_WALK} steps without waiting for the contact: the flow loops`;
      rt.trace.finish(entry, { error });
      return { state: 'failed', nodeId, error };
    }
    // Only test conversations set nodeStatus: production runs take no extra step (not even a microtask).
    if (rt.nodeStatus) await rt.nodeStatus(node.id, 'started');
    const outcome = await runStep(step, node);
    // A node waiting for input stays lit until its answer comes.
    if (rt.nodeStatus && outcome.kind !== 'await') await rt.nodeStatus(node.id, outcome.kind === 'fail' ? 'failed' : 'finished');
    switch (outcome.kind) {
      case 'follow': {
        rt.trace.finish(entry, { handle: outcome.handle, output: outcome.output });
        const next = rt.graph.target(node.id, outcome.handle);
        if (!next) return { state: 'ended', nodeId: node.id };
        rt.path?.follow(rt.graph.edgeId(node.id, outcome.handle));
        nodeId = next;
        step = (n) => handlerFor(n).run(n, rt);
        continue;
      }
      case 'await':
        rt.trace.finish(entry, { output: outcome.output });
        return { state: 'awaiting', nodeId: node.id, retries: outcome.retries };
      case 'handoff':
        rt.trace.finish(entry, { handle: 'handoff' });
        return { state: 'handoff', nodeId: node.id, resumeNodeId: rt.graph.target(node.id, outcome.resumeHandle) };
      case 'end':
        rt.trace.finish(entry, { output: outcome.output });
        return { state: 'ended', nodeId: node.id };
      case 'fail':
        rt.trace.finish(entry, { error: outcome.error });
        return { state: 'failed', nodeId: node.id, error: outcome.error };
    }
  }
}

/**
 * A handler that throws fails its node, not the workflow task (which would retry forever). Not an
 * async function: the SDK formats a stack trace for every promise workflow code creates, and a
 * walk runs this for every node.
 */
function runStep(step: Step, node: ValidNode): Promise<Outcome> {
  try {
    return step(node).catch(nodeFailed);
  } catch (err) {
    return Promise.resolve(nodeFailed(err));
  }
}

function nodeFailed(err: unknown): Outcome {
  if (isCancellation(err) || err instanceof WalkAbandoned) throw err;
  return fail(errorMessage(err));
}

const fail = (error: string): Outcome => ({ kind: 'fail', error });
