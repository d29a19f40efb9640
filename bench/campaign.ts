/**
 * A 100,000-recipient SMS campaign through the fake Twilio at an unlimited rate, sent by one
 * worker process: sends per second, the worker's peak memory (and its memory at 25 % and 90 % of
 * the sends, to show it does not grow with the audience), the history size of each
 * continue-as-new run, and that every recipient got exactly one message. Writes
 * bench/results/campaign.json.
 *
 * The worker runs with a V8 heap cap (`--worker-heap-mb`, default 512; 0 for none), as a production
 * worker with a memory budget would: without one, V8 grows the heap lazily while the machine has
 * memory to spare, and the RSS shows that headroom rather than what the sending keeps.
 *
 *   npm run bench:campaign [-- --contacts 100000 --worker-heap-mb 512]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCampaignLoad } from '../test/campaigns/load';
import { rssMb } from './process-rss';
import { writeResult } from './stats';

const { values } = parseArgs({ options: { contacts: { type: 'string', default: '100000' }, 'worker-heap-mb': { type: 'string', default: '512' } } });
const contacts = Number(values.contacts);
const workerHeapMb = Number(values['worker-heap-mb']);
const out = fileURLToPath(new URL('./results/campaign.json', import.meta.url));

const load = await startCampaignLoad({ contacts, ...(workerHeapMb > 0 ? { env: { NODE_OPTIONS: `--max-old-space-size=${workerHeapMb}` } } : {}) });
try {
  const worker = await load.startWorker();
  const pid = worker.child.pid!;
  let peakRss = 0;
  const rssAt: Record<string, number> = {};
  const started = Date.now();
  await load.launch();
  let firstSendAt = 0;
  let state = await load.client.campaignProgress(load.tenantId, load.campaignId);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const rss = rssMb(pid) ?? 0;
    peakRss = Math.max(peakRss, rss);
    const sent = load.twilio.messages.length;
    if (sent > 0 && !firstSendAt) firstSendAt = Date.now();
    for (const mark of [0.25, 0.5, 0.9]) if (sent >= contacts * mark && rssAt[`${mark * 100}%`] === undefined) rssAt[`${mark * 100}%`] = rss;
    state = await load.client.campaignProgress(load.tenantId, load.campaignId);
    if (state?.status === 'completed' || state?.status === 'failed') break;
    if (Date.now() - started > 60 * 60_000) throw new Error('the campaign did not finish within an hour');
  }
  const finished = Date.now();
  const [row] = (await load.sql.query(`select started_at, completed_at from campaigns where id = $1`, [load.campaignId])).rows;
  const runs: { runId: string; historyLength: number }[] = [];
  for await (const run of load.stack.temporal.workflow.list({ query: `WorkflowId = 'camp:${load.tenantId}:${load.campaignId}'` })) runs.push({ runId: run.runId, historyLength: run.historyLength });
  const outcomes = (await load.sql.query(`select status, left(coalesce(error, ''), 200) as error, count(*)::int as n from campaign_recipients where campaign_id = $1 group by 1, 2 order by 3 desc`, [load.campaignId])).rows;
  const check = load.verify();
  const sendSeconds = (Date.parse(row.completed_at) - Date.parse(row.started_at)) / 1000;
  const result = {
    contacts,
    workerHeapMb: workerHeapMb > 0 ? workerHeapMb : null,
    status: state?.status,
    sent: state?.sent,
    sendsPerSecond: Math.round((check.sent / sendSeconds) * 10) / 10,
    sendSeconds: Math.round(sendSeconds * 10) / 10,
    wallSeconds: Math.round((finished - started) / 100) / 10,
    workerPeakRssMb: peakRss,
    workerRssMbAtShareSent: rssAt,
    runs: runs.length,
    historyEventsPerRun: { max: Math.max(...runs.map((r) => r.historyLength)), min: Math.min(...runs.map((r) => r.historyLength)) },
    recipients: outcomes,
    duplicates: check.duplicates,
    missed: check.missed,
    twilioRequests: load.twilio.requests.length,
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult(out, { ...result, measuredAt: new Date().toISOString() });
  if (check.duplicates || check.missed) process.exitCode = 1;
} finally {
  await load.close();
}
