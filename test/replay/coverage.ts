/**
 * What the recorded histories must cover, and the check that they do. Workflow kinds come from
 * the code (the functions the worker bundles and the catalogue of workflow types), node types from
 * the node catalogue, so a new kind or node type without a recorded history fails the replay test.
 * Which nodes a history visited is in `visited.json`, which `record.ts` writes from the recorded
 * run (its `state` query, answered by replaying that history); every other fact is read from the
 * history's own events.
 */
import { CONVERSATION_HISTORY_LIMIT } from '../../workflows/conversation';
import { ANSWER_BEFORE_BOOKKEEPING_PATCH, BATCHED_REPLIES_PATCH, INBOUND_WITH_REPLIES_PATCH, ONE_MARKER_PATCH, UNREAD_CONTEXT_IN_WORKFLOW_PATCH, UNREAD_CONTEXT_SLACK } from '../../workflows/runtime/conversation-patches';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NODE_TYPES, nodeDefinition } from '../../core/nodes';
import { WORKFLOW_TYPES } from '../../core/workflows';
import * as workflowFunctions from '../../workflows/index';
import type { HistoryFacts } from './history';

/** Node types a history's run visited, each with the edges (handles) it left by. */
export interface Visited {
  workflowType: string;
  events: number;
  nodes: Record<string, string[]>;
}
export type VisitedManifest = Record<string, Visited>;

export const VISITED_PATH = fileURLToPath(new URL('./visited.json', import.meta.url));
export const readVisited = (): VisitedManifest => JSON.parse(readFileSync(VISITED_PATH, 'utf8'));

export interface Recorded {
  name: string;
  facts: HistoryFacts;
  visited: Visited | undefined;
}

/** Every workflow function the worker bundles, and every type the catalogue declares. */
export function workflowKinds(): string[] {
  const exported = Object.entries(workflowFunctions)
    .filter(([, value]) => typeof value === 'function')
    .map(([name]) => name);
  return [...new Set([...exported, ...WORKFLOW_TYPES])].sort();
}

export const nodeTypes = (): string[] => [...NODE_TYPES];

const visitedBy = (r: Recorded, type: string, handle?: string) => {
  const handles = r.visited?.nodes[type];
  return !!handles && (handle === undefined || handles.includes(handle));
};
const scheduled = (r: Recorded, type: string) => r.facts.activities.some((a) => a.type === type);
const ranLocal = (r: Recorded, type: string) => r.facts.localActivities.some((a) => a.type === type);
const signalled = (r: Recorded, name: string) => r.facts.signals.some((s) => s.name === name);
const carriedSeenIds = (input: any): string[] => input?.carried?.seenExternalIds ?? [];

/** A path is named and recognised by what the history shows. */
interface Path {
  kind: string;
  name: string;
  shows: (r: Recorded) => boolean;
}

const repeatedExternalId = (r: Recorded) => {
  const seen = new Set(carriedSeenIds(r.facts.input));
  return r.facts.signals.some((s) => {
    const id = s.name === 'inbound' ? s.arg?.externalId : undefined;
    if (!id) return false;
    if (seen.has(id)) return true;
    seen.add(id);
    return false;
  });
};

const toolRoundTrip = (r: Recorded) =>
  scheduled(r, 'callTool') && r.facts.activities.some((a) => a.type === 'llmChat' && a.input?.messages?.some((m: any) => m.role === 'tool'));

const interpreterPaths = (kind: string): Path[] => [
  { kind, name: 'llmReply tool call and tool result', shows: toolRoundTrip },
  { kind, name: 'knowledge search', shows: (r) => scheduled(r, 'searchKnowledge') },
  { kind, name: 'httpRequest success', shows: (r) => visitedBy(r, 'httpRequest', 'next') },
  { kind, name: 'httpRequest error edge', shows: (r) => visitedBy(r, 'httpRequest', 'error') },
  { kind, name: 'wait on a durable timer', shows: (r) => visitedBy(r, 'wait') && r.facts.timersFired > 0 },
];

export const PATHS: Path[] = [
  ...interpreterPaths('conversation'),
  { kind: 'conversation', name: 'turn by update', shows: (r) => r.facts.updates.includes('turn') },
  { kind: 'conversation', name: 'knowledge answer with citations', shows: (r) => r.facts.localActivities.some((a) => a.type === 'deliverMessage' && a.result?.citations?.length > 0) },
  { kind: 'conversation', name: 'knowledge tool of the model', shows: (r) => toolRoundTrip(r) && r.facts.activities.some((a) => a.type === 'llmChat' && a.input?.tools?.some((t: any) => t.name === 'search_knowledge_base')) },
  { kind: 'conversation', name: 'channel send', shows: (r) => scheduled(r, 'sendChannelMessage') },
  { kind: 'conversation', name: 'inbound de-duplication', shows: repeatedExternalId },
  { kind: 'conversation', name: 'continueAsNew carrying seenExternalIds', shows: (r) => r.facts.end?.kind === 'continuedAsNew' && carriedSeenIds(r.facts.end.input).length > 0 },
  { kind: 'conversation', name: 'run continued with carried state', shows: (r) => carriedSeenIds(r.facts.input).length > 0 },
  { kind: 'conversation', name: 'continueAsNew on the run\'s own history bound', shows: (r) => r.facts.end?.kind === 'continuedAsNew' && r.facts.events > CONVERSATION_HISTORY_LIMIT && r.facts.events < 4000 },
  { kind: 'conversation', name: 'ask timeout edge', shows: (r) => visitedBy(r, 'ask', 'timeout') },
  { kind: 'conversation', name: 'idle timeout closes', shows: (r) => r.facts.end?.kind === 'completed' && !signalled(r, 'close') && r.facts.timersFired > 0 },
  { kind: 'conversation', name: 'handoff and agent reply', shows: (r) => visitedBy(r, 'handoff') && signalled(r, 'takeOver') && signalled(r, 'agentMessage') },
  { kind: 'conversation', name: 'release resumes the flow', shows: (r) => signalled(r, 'release') && visitedBy(r, 'handoff', 'handoff') && visitedBy(r, 'sendMessage') },
  { kind: 'conversation', name: 'bookAppointment booked and declined', shows: (r) => visitedBy(r, 'bookAppointment', 'booked') && visitedBy(r, 'bookAppointment', 'cancelled') },
  { kind: 'conversation', name: 'handoff tool of the model', shows: (r) => visitedBy(r, 'llmReply', 'handoff') },
  { kind: 'conversation', name: 'handoff keyword', shows: (r) => r.facts.localActivities.some((a) => a.nodeId === '@keyword') },
  { kind: 'conversation', name: 'context summary', shows: (r) => scheduled(r, 'summarize') },
  {
    kind: 'conversation',
    name: 'turns answered before the context fold',
    shows: (r) => r.facts.patches.includes(ANSWER_BEFORE_BOOKKEEPING_PATCH) && scheduled(r, 'summarize') && visitedBy(r, 'llmReply'),
  },
  {
    kind: 'conversation',
    name: 'a turn\'s replies stored in one local activity',
    shows: (r) => r.facts.patches.includes(BATCHED_REPLIES_PATCH) && r.facts.localActivities.some((a) => a.type === 'deliverMessages' && a.result?.length > 1),
  },
  {
    kind: 'conversation',
    name: 'a turn stored in one local activity: the contact\'s message with its replies',
    shows: (r) => r.facts.patches.includes(INBOUND_WITH_REPLIES_PATCH) && r.facts.localActivities.some((a) => a.type === 'recordTurn' && a.result?.replies?.length > 1),
  },
  {
    kind: 'conversation',
    name: 'a walk discarded (the message was an appointment\'s answer) and walked again when its run was over',
    shows: (r) =>
      r.facts.patches.includes(INBOUND_WITH_REPLIES_PATCH) &&
      r.facts.localActivities.some((a) => a.type === 'recordTurn' && a.result?.inbound?.appointmentWorkflowId && a.result.replies.length === 0) &&
      r.facts.localActivities.some((a) => a.type === 'deliverMessages'),
  },
  {
    kind: 'conversation',
    name: 'a flow that never reads the context folds on its slack, in a summarize activity (runs before the in-workflow fold)',
    shows: (r) => r.facts.patches.includes(ANSWER_BEFORE_BOOKKEEPING_PATCH) && r.facts.activities.some((a) => a.type === 'summarize' && a.input?.messages?.length > UNREAD_CONTEXT_SLACK),
  },
  {
    kind: 'conversation',
    name: 'a flow that never reads the context folds on its slack in the workflow, with no activity',
    shows: (r) => r.facts.patches.includes(UNREAD_CONTEXT_IN_WORKFLOW_PATCH) && !scheduled(r, 'summarize'),
  },
  {
    kind: 'conversation',
    name: 'a run since the one-marker patch: every earlier patch from one marker, no attributes upserted at start',
    shows: (r) => r.facts.patches.join() === ONE_MARKER_PATCH && !r.facts.upserts.some((keys) => keys.includes('TenantId')) && r.facts.localActivities.some((a) => a.type === 'recordTurn'),
  },
  { kind: 'conversation', name: 'close', shows: (r) => signalled(r, 'close') && r.facts.end?.kind === 'completed' },
  { kind: 'conversation', name: 'test conversation node statuses', shows: (r) => ranLocal(r, 'publishNodeStatus') },
  { kind: 'conversation', name: 'marketing assistant tool call', shows: (r) => scheduled(r, 'assistantTool') },
  { kind: 'conversation', name: 'marketing assistant offline answer', shows: (r) => scheduled(r, 'assistantOffline') },
  ...interpreterPaths('flowRun'),
  { kind: 'flowRun', name: 'ask answered by resume', shows: (r) => signalled(r, 'resume') && visitedBy(r, 'ask') },
  { kind: 'flowRun', name: 'handoff resumed', shows: (r) => visitedBy(r, 'handoff', 'handoff') && r.facts.signals.filter((s) => s.name === 'resume').length >= 2 },
  { kind: 'flowRun', name: 'completed run', shows: (r) => r.facts.end?.kind === 'completed' && r.facts.end.result?.status === 'completed' },
  { kind: 'flowRun', name: 'failed run', shows: (r) => r.facts.end?.kind === 'completed' && r.facts.end.result?.status === 'failed' },
  { kind: 'ingestDocument', name: 'URL source fetched', shows: (r) => scheduled(r, 'fetchDocumentSource') },
  { kind: 'ingestDocument', name: 'upload indexed with pinned settings', shows: (r) => r.facts.activities.some((a) => a.type === 'indexDocumentVersion' && a.input?.pin) && !scheduled(r, 'fetchDocumentSource') },
  { kind: 'ingestDocument', name: 'failure cleaned up', shows: (r) => scheduled(r, 'failDocumentVersion') },
  { kind: 'fetchInboundMedia', name: 'file stored', shows: (r) => r.facts.activities.some((a) => a.type === 'markInboundMedia' && a.input?.outcome?.status === 'stored') },
  { kind: 'fetchInboundMedia', name: 'file failed after its attempts', shows: (r) => r.facts.activities.some((a) => a.type === 'markInboundMedia' && a.input?.outcome?.status === 'failed') },
  { kind: 'imapMailbox', name: 'poll from the cursor the last poll returned', shows: (r) => r.facts.activities.some((a) => a.type === 'pollImapMailbox' && a.input?.cursor?.lastUid > 0) },
  { kind: 'imapMailbox', name: 'sleep between polls without IDLE', shows: (r) => scheduled(r, 'pollImapMailbox') && r.facts.timersFired > 0 },
  { kind: 'imapMailbox', name: 'ends when the channel stops reading IMAP', shows: (r) => r.facts.workflowType === 'imapMailbox' && r.facts.end?.kind === 'completed' },
  { kind: 'calendarSync', name: 'sync again after the interval', shows: (r) => scheduled(r, 'syncStaffCalendar') && r.facts.timersFired > 0 },
  { kind: 'calendarSync', name: 'event deleted in the calendar, no appointment workflow: cancelled directly', shows: (r) => scheduled(r, 'cancelDeletedAppointment') },
  { kind: 'calendarSync', name: 'event deleted in the calendar: signalled to the running appointment workflow', shows: (r) => r.facts.workflowType === 'calendarSync' && r.facts.externalSignalsDelivered > 0 && !scheduled(r, 'cancelDeletedAppointment') },
  { kind: 'calendarSync', name: 'ends when the staff member is no longer connected', shows: (r) => r.facts.workflowType === 'calendarSync' && r.facts.end?.kind === 'completed' },
  { kind: 'appointment', name: 'reminder timer answered by reply', shows: (r) => r.facts.timersFired > 0 && signalled(r, 'reply') },
  { kind: 'appointment', name: 'reschedule from offered slots', shows: (r) => r.facts.activities.some((a) => a.type === 'changeAppointment' && a.input?.change?.type === 'reschedule') && scheduled(r, 'offerAppointmentSlots') },
  { kind: 'appointment', name: 'update refused: slot taken', shows: (r) => r.facts.updates.includes('reschedule') },
  { kind: 'appointment', name: 'cancelled by update', shows: (r) => r.facts.updates.includes('cancel') && r.facts.end?.kind === 'completed' && r.facts.end.result?.status === 'cancelled' },
  { kind: 'appointment', name: 'attended, then follow-up', shows: (r) => r.facts.updates.includes('complete') && r.facts.activities.some((a) => a.type === 'sendAppointmentNotice' && a.input?.kind === 'followUp') },
  { kind: 'ivrCall', name: 'webhooks as callEvent updates, the first starting the call', shows: (r) => r.facts.updates.filter((u) => u === 'callEvent').length > 1 && r.facts.end?.kind === 'completed' },
  { kind: 'ivrCall', name: 'caller identified and transcript stored', shows: (r) => ranLocal(r, 'beginCall') && ranLocal(r, 'finishCallTurn') },
  { kind: 'ivrCall', name: 'a webhook ended in one local activity, the model called as a local one', shows: (r) => ranLocal(r, 'finishCallTurn') && ranLocal(r, 'llmChat') },
  {
    kind: 'ivrCall',
    name: 'a run started before the fewer-steps patch: speech and transcript in their own local activities',
    shows: (r) => ranLocal(r, 'beginCall') && ranLocal(r, 'synthesizeSpeech') && ranLocal(r, 'recordCallTurn'),
  },
  { kind: 'ivrCall', name: 'menu retried after no match, then chosen', shows: (r) => visitedBy(r, 'menu', 'key1') && visitedBy(r, 'gather', 'next') },
  { kind: 'campaign', name: 'send time on a durable timer, then materialize and send pages', shows: (r) => r.facts.timersFired > 0 && scheduled(r, 'materializeCampaignPage') && scheduled(r, 'sendCampaignPage') },
  { kind: 'campaign', name: 'A/B winner sent to the held rest', shows: (r) => scheduled(r, 'decideCampaignWinner') && r.facts.end?.kind === 'completed' && r.facts.end.result?.winnerVariant },
  { kind: 'campaign', name: 'changes requested, paused, resumed, rate changed, cancelled', shows: (r) => ['requestChanges', 'pause', 'resume', 'changeRate', 'cancel'].every((u) => r.facts.updates.includes(u)) && r.facts.end?.kind === 'completed' && r.facts.end.result?.status === 'cancelled' },
  { kind: 'campaign', name: 'continueAsNew while sending', shows: (r) => r.facts.end?.kind === 'continuedAsNew' && r.facts.end.input?.carried?.phase === 'send' },
  { kind: 'campaign', name: 'run continued with carried state', shows: (r) => !!r.facts.input?.carried && r.facts.end?.kind === 'completed' },
  { kind: 'ingestDocument', name: 'superseded version', shows: (r) => r.facts.end?.kind === 'completed' && r.facts.end.result?.status === 'failed' && !scheduled(r, 'failDocumentVersion') },
  { kind: 'retention', name: 'continueAsNew mid-tenant with the cursor and counts', shows: (r) => r.facts.end?.kind === 'continuedAsNew' && !!r.facts.end.input?.resume },
  { kind: 'retention', name: 'continued run finishes and audits each tenant', shows: (r) => !!r.facts.input?.resume && r.facts.end?.kind === 'completed' && scheduled(r, 'recordRetentionRun') },
];

/** A run interprets a flow when its input carries the graph: such a kind must visit every node type. */
const runsFlow = (r: Recorded) => Array.isArray(r.facts.input?.graph?.nodes);
const graphTypes = (input: any): Set<string> => new Set((input?.graph?.nodes ?? []).map((n: { type: string }) => n.type));

/** What is not covered, one line each; empty when everything is. */
export function coverageGaps(
  recorded: Recorded[],
  { kinds = workflowKinds(), types = nodeTypes(), paths = PATHS, manifest = {} }: { kinds?: string[]; types?: string[]; paths?: Path[]; manifest?: VisitedManifest } = {},
): string[] {
  const gaps: string[] = [];
  for (const r of recorded) {
    const v = r.visited;
    // A history without an entry predates visited.json (no recorder makes it any more): it counts for kinds and paths only.
    if (!v) continue;
    if (v.workflowType !== r.facts.workflowType || v.events !== r.facts.events) {
      gaps.push(`visited.json does not describe history ${r.name} (another kind or event count): record it again with the script`);
      continue;
    }
    const inGraph = graphTypes(r.facts.input);
    for (const type of Object.keys(v.nodes)) if (!inGraph.has(type)) gaps.push(`visited.json says ${r.name} visited a ${type} node, which its graph does not have`);
  }
  const names = new Set(recorded.map((r) => r.name));
  for (const name of Object.keys(manifest)) if (!names.has(name)) gaps.push(`visited.json names ${name}, which has no history`);

  for (const kind of kinds) {
    const ofKind = recorded.filter((r) => r.facts.workflowType === kind);
    if (!ofKind.length) {
      gaps.push(`workflow kind ${kind} has no recorded history`);
      continue;
    }
    if (ofKind.some(runsFlow)) {
      // A phone call cannot run a chat-only node type: the validator refuses it in a phone flow.
      for (const type of types) if (!(kind === 'ivrCall' && nodeDefinition(type)?.chatOnly) && !ofKind.some((r) => visitedBy(r, type))) gaps.push(`node type ${type} has no recorded ${kind} history`);
    }
  }
  for (const p of paths) {
    if (!recorded.some((r) => r.facts.workflowType === p.kind && p.shows(r))) gaps.push(`path "${p.name}" of ${p.kind} has no recorded history`);
  }
  return gaps;
}
