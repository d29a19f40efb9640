/**
 * How an activity call names the flow node it runs for, so a run's history can be drawn on the
 * graph: `activityId = "<nodeId>#<seq>"` for activities, and a summary `"<name> · <nodeId>#<seq>"`
 * for local activities (whose ids the SDK assigns). Workflow-level work uses pseudo node ids
 * starting with "@" (never a valid node id). Written by workflows/flow/activities.ts, read by the
 * API's history and reset; recorded histories hold these strings, so the format never changes.
 */
const SEQ = '#';
const SUMMARY = ' · ';

export const activityTag = (nodeId: string, seq: number) => `${nodeId}${SEQ}${seq}`;

/** A regular activity's summary names its node; its id carries the tag. */
export const activitySummary = (name: string, nodeId: string) => `${name}${SUMMARY}${nodeId}`;

/** A local activity's summary carries the whole tag. */
export const localActivitySummary = (name: string, tag: string) => `${name}${SUMMARY}${tag}`;

/** The node of an activity id written by `activityTag`; null for an untagged id. */
export const nodeOfActivityId = (activityId: string): string | null => (activityId.includes(SEQ) ? activityId.split(SEQ)[0] || null : null);

/** The node of a local activity's summary written by `localActivitySummary`; null when it names none. */
export const nodeOfLocalSummary = (summary: string): string | null => summary.split(SUMMARY)[1]?.split(SEQ)[0] || null;
