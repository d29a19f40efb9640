/**
 * Records representative histories for the replay test: `tsx test/replay/record.ts [name…]`
 * (all of them when no name is given).
 * Re-record only on purpose (a deliberate, patched change of workflow logic), never to make the
 * replay test pass.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { flowRunWorkflowId, ingestWorkflowId } from '../../core/ids';
import type { flowRun } from '../../workflows/flowRun';
import type { ingestDocument } from '../../workflows/ingestDocument';
import { closeSignal, flowRunStateQuery, resumeSignal, type IngestDocumentInput } from '../../workflows/messages';
import { talk } from '../workflows/support/conversation';
import { conversationInput, flow, flowRunInput, onboardingFlow } from '../workflows/support/flows';
import { eventually, startHarness, type Harness } from '../workflows/support/harness';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { startLocalTestServer } from '../../temporal/test-server';

const out = (name: string) => fileURLToPath(new URL(`./histories/${name}.json`, import.meta.url));

async function save(h: Harness, workflowId: string, name: string) {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(out(name), `${historyToJSON(history)}\n`);
  console.log(`wrote ${out(name)} (${history.events?.length} events)`);
}

async function recordConversation(h: Harness) {
  const c = talk(h, conversationInput(onboardingFlow()));
  for (const text of ['hello', 'Ada', 'not a number', '42', 'talk to a human']) await c.turn(text);
  await c.handle().signal(closeSignal);
  await c.handle().result();
  await save(h, c.workflowId, 'conversation-basic');
}

async function recordFlowRun(h: Harness) {
  h.fakes.impl.httpRequest = async () => ({ ok: false, status: 502, variables: {}, error: 'HTTP 502' });
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'confirm', type: 'ask', data: { prompt: 'Proceed, {{name}}?', variable: 'ok', inputType: 'yesno' } },
      { id: 'api', type: 'httpRequest', data: { method: 'POST', url: 'https://api.test/orders', body: '{"name":"{{name}}"}' } },
      { id: 'ai', type: 'llmReply', data: { allowHandoff: false } },
      { id: 'fallback', type: 'sendMessage', data: { text: 'We will retry later.' } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'confirm'], ['confirm', 'api'], ['api', 'ai'], ['api', 'fallback', 'error'], ['ai', 'end'], ['fallback', 'end']],
  );
  const handle = await h.client.workflow.start<typeof flowRun>('flowRun', {
    workflowId: flowRunWorkflowId('t1', randomUUID()),
    taskQueue: h.taskQueue,
    args: [flowRunInput(graph, { name: 'Ada' })],
  });
  await eventually(async () => ((await handle.query(flowRunStateQuery)).status === 'waiting' ? true : undefined));
  await handle.signal(resumeSignal, { text: 'yes' });
  await handle.result();
  await save(h, handle.workflowId, 'flowrun-basic');
}

async function recordIngest(h: Harness) {
  const input: IngestDocumentInput = { tenantId: 't1', documentId: randomUUID(), knowledgeBaseId: randomUUID(), version: 2, sourceType: 'url' };
  const handle = await h.client.workflow.start<typeof ingestDocument>('ingestDocument', {
    workflowId: ingestWorkflowId(input.tenantId, input.documentId, input.version),
    taskQueue: h.taskQueue,
    args: [input],
  });
  await handle.result();
  await save(h, handle.workflowId, 'ingest-url');
}

const recorders: Record<string, (h: Harness) => Promise<void>> = {
  'conversation-basic': recordConversation,
  'flowrun-basic': recordFlowRun,
  'ingest-url': recordIngest,
};
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(recorders);

const env = await startLocalTestServer();
const h = await startHarness(env.connection.options.address, 'record');
try {
  for (const name of names) {
    if (!recorders[name]) throw new Error(`no recorder named ${name}; known: ${Object.keys(recorders).join(', ')}`);
    await recorders[name](h);
  }
} finally {
  await h.close();
  await env.teardown();
}
