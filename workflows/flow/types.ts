import type { ValidNode } from '../../core/graph/schema';
import type { Channel, RichContent, TokenUsage } from '../../core/messages';
import type { ChatMessage, Citation } from '../../activities/types';
import type { ActivityCaller } from './activities';
import type { FlowGraph } from './graph';
import type { PathLog } from './path';
import type { TraceLog } from './trace';
import type { CallEvent } from '../../core/voice/types';
import type { CallRuntime } from '../voice/runtime';

/**
 * What the interpreter needs from the workflow running it. The conversation delivers messages on
 * a channel; a flowRun collects them into its output. Waiting for input is not part of the
 * runtime: an `ask` suspends the walk (`awaiting`) and the workflow resumes it with the answer.
 */
export interface FlowRuntime {
  readonly graph: FlowGraph;
  readonly variables: Record<string, unknown>;
  readonly activities: ActivityCaller;
  readonly trace: TraceLog;
  /** A conversation's visited nodes and followed edges (for the drop-off figures); none in a flowRun. */
  readonly path?: PathLog;
  readonly tenantId: string;
  readonly workflowId: string;
  readonly conversationId?: string;
  /** The conversation's channel (how replies can be shown); none in a flowRun, whose output is text. */
  readonly channel?: Channel;
  /** Current turn (contact messages so far); 0 in a flowRun before any resume. */
  readonly turn: number;
  /** Deterministic key unique within the execution, for idempotent sends and LLM stream keys. */
  key(nodeId: string): string;
  /** `rich` (options, media, template) goes to channels that render it; a flowRun keeps the text. */
  say(nodeId: string, text: string, source: string, usage?: TokenUsage, citations?: Citation[], rich?: RichContent): Promise<void>;
  /** Marks the run as waiting for a human and announces it (`handoff.requested`). */
  handoff(nodeId: string, reason?: string): Promise<void>;
  /** Recent messages (oldest first) and the rolling summary of older ones, for the model. */
  context(limit: number): { summary: string; messages: ChatMessage[] };
  /** Durable timer; a conversation returns the current turn's replies before sleeping. */
  sleep(ms: number): Promise<void>;
  /** Set only on a phone call (the `ivrCall` workflow): TwiML verbs, speech, callbacks (workflows/voice/runtime.ts). */
  readonly call?: CallRuntime;
  /** The console's marketing assistant: AI replies get the marketing tools (ConversationInput.assistant). */
  readonly assistant?: boolean;
  /** Set only for test conversations: announces node starts and finishes to the builder. */
  readonly nodeStatus?: (nodeId: string, status: 'started' | 'finished' | 'failed') => Promise<void>;
}

/** What a handler asks the interpreter to do next. */
export type Outcome =
  /** Follow an output handle; an unconnected handle ends the walk. */
  | { kind: 'follow'; handle: string; output?: unknown }
  /** Suspend at this node until the contact replies. */
  | { kind: 'await'; retries: number; output?: unknown }
  /** The bot stops; after release the walk continues on `resumeHandle` (if connected). */
  | { kind: 'handoff'; resumeHandle: string }
  | { kind: 'end'; output?: unknown }
  | { kind: 'fail'; error: string };

export type WalkResult =
  | { state: 'awaiting'; nodeId: string; retries: number }
  | { state: 'handoff'; nodeId: string; resumeNodeId: string | null }
  | { state: 'ended'; nodeId: string }
  | { state: 'failed'; nodeId: string; error: string };

export type NodeOf<T extends ValidNode['type']> = Extract<ValidNode, { type: T }>;

export interface NodeHandler<T extends ValidNode['type']> {
  run(node: NodeOf<T>, rt: FlowRuntime): Promise<Outcome>;
  /** For nodes that wait for input: the contact's reply; `retries` = invalid answers so far. */
  answer?(node: NodeOf<T>, rt: FlowRuntime, text: string, retries: number): Promise<Outcome>;
  /** For nodes that wait for input: no reply came in time; `retries` as the last `await` left it. */
  timeout?(node: NodeOf<T>, rt: FlowRuntime, retries: number): Promise<Outcome>;
  /** For voice nodes that wait on a call: the call's next event (a gather's digits, a dial's result…); `retries` as the last `await` left it. */
  event?(node: NodeOf<T>, rt: FlowRuntime, event: CallEvent, retries: number): Promise<Outcome>;
  /** For nodes that wait for input: milliseconds before `timeout`; null (or no method) waits forever. */
  inputTimeoutMs?(node: NodeOf<T>): number | null;
}
