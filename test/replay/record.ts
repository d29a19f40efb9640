/**
 * Records the histories the replay test replays: `npm run record:histories [name…]` (every
 * recorder when no name is given). Each recorder drives a workflow on a real Temporal dev server
 * with the fake activities of test/workflows/support, checks that the run took the path it is
 * recorded for, and saves its history to histories/<name>.json; the node types the run visited go
 * to visited.json, read from the run's `state` query (which the worker answers by replaying that
 * very history).
 *
 * Re-record only on purpose: after a deliberate change of workflow logic, made behind `patched()`,
 * keeping the old history under another name so the runs started before the change still replay.
 * Never re-record to make the replay test pass.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TraceEntry } from '../../workflows/messages';
import { startLocalTestServer } from '../../temporal/test-server';
import { quietRuntime, startHarness, type Harness } from '../workflows/support/harness';
import { VISITED_PATH, type VisitedManifest } from './coverage';
import { HISTORIES_DIR, historyFacts } from './history';
import { calendarSyncRecorders } from './recorders/calendar-sync';
import { conversationRecorders } from './recorders/conversation';
import { conversationLifecycleRecorders } from './recorders/conversation-lifecycle';
import { flowRunRecorders } from './recorders/flow-run';
import { ingestRecorders } from './recorders/ingest';
import { imapRecorders } from './recorders/imap';
import { appointmentRecorders } from './recorders/appointment';
import { bookingRecorders } from './recorders/booking';
import { ingestBatchRecorders } from './recorders/ingest-batch';
import { mediaRecorders } from './recorders/media';
import { campaignRecorders } from './recorders/campaign';
import { csatRecorders } from './recorders/csat';
import { reportRecorders } from './recorders/reports';
import { retentionRecorders } from './recorders/retention';
import { videoRenderRecorders } from './recorders/video-render';
import { sendVideoRecorders } from './recorders/send-video';
import { presenceAuditRecorders } from './recorders/presence-audit';
import { presenceFollowUpRecorders } from './recorders/presence-follow-up';
import { ivrCallRecorders } from './recorders/ivr-call';
import { ivrCallNodeRecorders } from './recorders/ivr-call-nodes';
import { assistantRecorders } from './recorders/assistant';
import type { Recorder } from './recorders/types';

// One line a kind: a new kind appends its line.
const recorders: Record<string, Recorder> = {
  ...conversationRecorders,
  ...conversationLifecycleRecorders,
  ...flowRunRecorders,
  ...ingestRecorders,
  ...ingestBatchRecorders,
  ...mediaRecorders,
  ...imapRecorders,
  ...calendarSyncRecorders,
  ...appointmentRecorders,
  ...bookingRecorders,
  ...campaignRecorders,
  ...csatRecorders,
  ...reportRecorders,
  ...retentionRecorders,
  ...videoRenderRecorders,
  ...sendVideoRecorders,
  ...presenceAuditRecorders,
  ...presenceFollowUpRecorders,
  ...ivrCallRecorders,
  ...ivrCallNodeRecorders,
  ...assistantRecorders,
};

const manifest: VisitedManifest = JSON.parse(readFileSync(VISITED_PATH, 'utf8'));

/** Node type → the edges its visits left by (none for a node that waited or ended). */
function visitedNodes(trace: TraceEntry[]): Record<string, string[]> {
  const nodes: Record<string, Set<string>> = {};
  for (const t of trace) {
    nodes[t.type] ??= new Set();
    if (t.handle) nodes[t.type].add(t.handle);
  }
  return Object.fromEntries(Object.entries(nodes).sort(([a], [b]) => a.localeCompare(b)).map(([type, handles]) => [type, [...handles].sort()]));
}

async function save(h: Harness, name: string, workflowId: string, runId?: string): Promise<void> {
  const handle = h.client.workflow.getHandle(workflowId, runId);
  const history = await handle.fetchHistory();
  const facts = historyFacts(history);
  if (!facts.end) throw new Error(`${name}: the run is still open; record closed runs only`);
  await writeFile(`${HISTORIES_DIR}${name}.json`, `${historyToJSON(history)}\n`);
  const interpretsFlow = Array.isArray(facts.input?.graph?.nodes);
  const nodes = interpretsFlow ? visitedNodes((await handle.query<{ trace: TraceEntry[] }>('state')).trace) : {};
  manifest[name] = { workflowType: facts.workflowType, events: facts.events, nodes };
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(VISITED_PATH, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`wrote ${name} (${facts.workflowType}, ${facts.events} events)`);
}

quietRuntime();
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(recorders);
for (const name of names) if (!recorders[name]) throw new Error(`no recorder named ${name}; known: ${Object.keys(recorders).join(', ')}`);

// Recorders that need the same server settings share one server.
const groups = new Map<string, string[]>();
for (const name of names) {
  const key = JSON.stringify(recorders[name].serverConfig ?? {});
  groups.set(key, [...(groups.get(key) ?? []), name]);
}
for (const [config, group] of groups) {
  const env = await startLocalTestServer(JSON.parse(config));
  const h = await startHarness(env.connection.options.address, 'record');
  try {
    for (const name of group) {
      h.fakes.reset();
      await recorders[name].record({ h, save: (historyName, workflowId, runId) => save(h, historyName, workflowId, runId) });
    }
  } finally {
    await h.close();
    await env.teardown();
  }
}
