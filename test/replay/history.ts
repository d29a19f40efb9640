/**
 * What a recorded history shows, read from its events alone: the workflow kind, its input, the
 * activities it scheduled (with their inputs), the local activities it ran (with their results and
 * node tags), the signals and updates it received, its timers and how it ended. The coverage check
 * decides which paths a history exercised from these facts, never from what a recorder claims.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { temporal } from '@temporalio/proto';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { nodeOfLocalSummary } from '../../core/activity-tags';
import { decodePayload, decodePayloads } from '../../temporal/proto';

type History = temporal.api.history.v1.IHistory;

export const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));

export interface HistoryFacts {
  workflowType: string;
  events: number;
  /** The workflow's (first) argument. */
  input: any;
  activities: { type: string; nodeId: string; input: any }[];
  localActivities: { type: string; nodeId: string | null; result: any }[];
  signals: { name: string; arg: any }[];
  updates: string[];
  /** The `patched()` ids this run recorded: it took the code path each patch introduced. */
  patches: string[];
  /** The search attributes each upsert set, by name, in history order. */
  upserts: string[][];
  timersFired: number;
  /** Signals this run sent to other workflows that reached them. */
  externalSignalsDelivered: number;
  /** How the run ended; null while it is still open. */
  end: { kind: 'completed'; result: any } | { kind: 'continuedAsNew'; input: any } | { kind: 'failed' | 'other' } | null;
}

const first = (payloads: temporal.api.common.v1.IPayloads | null | undefined): any => {
  const list = payloads?.payloads ?? [];
  return list.length ? decodePayload(list[0]) : undefined;
};

export function historyFacts(history: History): HistoryFacts {
  const events = history.events ?? [];
  const facts: HistoryFacts = { workflowType: '', events: events.length, input: undefined, activities: [], localActivities: [], signals: [], updates: [], patches: [], upserts: [], timersFired: 0, externalSignalsDelivered: 0, end: null };
  for (const e of events) {
    if (e.workflowExecutionStartedEventAttributes) {
      facts.workflowType = e.workflowExecutionStartedEventAttributes.workflowType?.name ?? '';
      facts.input = first(e.workflowExecutionStartedEventAttributes.input);
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      facts.activities.push({ type: a.activityType?.name ?? '', nodeId: (a.activityId ?? '').split('#')[0], input: first(a.input) });
    } else if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      const details = e.markerRecordedEventAttributes.details ?? {};
      const data = first(details.data) as { activity_type: string };
      const summary = e.userMetadata?.summary ? String(decodePayload(e.userMetadata.summary)) : '';
      facts.localActivities.push({ type: data.activity_type, nodeId: nodeOfLocalSummary(summary), result: first(details.result) });
    } else if (e.markerRecordedEventAttributes?.markerName === 'core_patch') {
      facts.patches.push((first(e.markerRecordedEventAttributes.details?.['patch-data']) as { id: string }).id);
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      facts.upserts.push(Object.keys(e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {}).sort());
    } else if (e.workflowExecutionSignaledEventAttributes) {
      const s = e.workflowExecutionSignaledEventAttributes;
      facts.signals.push({ name: s.signalName ?? '', arg: first(s.input) });
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      facts.updates.push(e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? '');
    } else if (e.timerFiredEventAttributes) {
      facts.timersFired++;
    } else if (e.externalWorkflowExecutionSignaledEventAttributes) {
      facts.externalSignalsDelivered++;
    } else if (e.workflowExecutionCompletedEventAttributes) {
      facts.end = { kind: 'completed', result: decodePayloads(e.workflowExecutionCompletedEventAttributes.result) };
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
      facts.end = { kind: 'continuedAsNew', input: first(e.workflowExecutionContinuedAsNewEventAttributes.input) };
    } else if (e.workflowExecutionFailedEventAttributes) {
      facts.end = { kind: 'failed' };
    } else if (e.workflowExecutionTerminatedEventAttributes || e.workflowExecutionCanceledEventAttributes || e.workflowExecutionTimedOutEventAttributes) {
      facts.end = { kind: 'other' };
    }
  }
  return facts;
}

/** Recorded history files by name (without `.json`). */
export function historyNames(): string[] {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export const readHistory = (name: string): History => historyFromJSON(JSON.parse(readFileSync(`${HISTORIES_DIR}${name}.json`, 'utf8')));
