/**
 * `npm run chaos [-- --seconds 300 --conversations 20 --kill-every 8 --seed 1 --verbose --histories DIR]`: the chaos run
 * (bench/chaos-run.ts). Prints kills survived, messages sent, lost and duplicated, latency in and
 * outside fault windows and the longest unavailability; writes bench/results/chaos.json; exits
 * non-zero when anything was lost or doubled.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runChaos } from './chaos-run';
import type { PartName } from './chaos-platform';
import { writeResult } from './stats';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '300' },
    conversations: { type: 'string', default: '20' },
    'kill-every': { type: 'string', default: '8' },
    'webhooks-per-second': { type: 'string', default: '2' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
    parts: { type: 'string', default: 'worker,api,db,temporal,redis' },
    verbose: { type: 'boolean', default: false },
    histories: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/chaos.json', import.meta.url)) },
  },
});

const result = await runChaos({
  seconds: Number(values.seconds),
  conversations: Number(values.conversations),
  killEverySeconds: Number(values['kill-every']),
  webhooksPerSecond: Number(values['webhooks-per-second']),
  seed: Number(values.seed),
  parts: values.parts.split(',') as PartName[],
  verbose: values.verbose,
  historiesDir: values.histories,
  log: (line) => console.log(`chaos: ${line}`),
});

const { turns, webhooks, latencyMs, workflowTasks: wft } = result;
console.log(
  [
    '',
    `seed ${result.seed}, ${result.seconds} s, ${result.conversations} conversations, load average ${result.loadAverage.mean} (${result.loadAverage.min}-${result.loadAverage.max})`,
    `kills survived   ${result.kills} (${Object.entries(result.killsByPart).map(([p, n]) => `${p} ${n}`).join(', ')})`,
    `turns            ${turns.sent} sent, ${turns.answered} answered, ${turns.lost} lost, ${turns.duplicated} stored twice, ${turns.unanswered} unanswered, ${turns.answeredTwice} answered twice (client gave up on ${turns.clientGaveUp})`,
    `webhooks         ${webhooks.accepted} accepted (${webhooks.conversationsPerPhone} conversation(s) per phone at most), ${webhooks.lost} lost, ${webhooks.duplicated} stored twice, ${webhooks.unanswered} unanswered, ${webhooks.answeredTwice} answered twice`,
    `turn latency     p50/p99 ${latencyMs.outsideFaults.p50}/${latencyMs.outsideFaults.p99} ms outside faults, ${latencyMs.duringFaults.p50}/${latencyMs.duringFaults.p99} ms within 15 s of a kill`,
    `settled          ${(result.settledAfterMs / 1000).toFixed(0)} s after the load stopped`,
    `workflow tasks   ${wft.tasks} in ${wft.runs} conversation runs (timeout ${Object.keys(wft.taskTimeouts).join('/')} s), started → completed p50/p99/max ${wft.p50Ms}/${wft.p99Ms}/${wft.maxMs} ms (first on a restarted worker: p50/max ${wft.onNewWorker.p50Ms}/${wft.onNewWorker.maxMs} ms); ${wft.timedOut} timed out after their worker or server was killed, ${wft.stickyTimedOut} waited out a sticky queue`,
    `unavailability   longest ${(result.longestUnavailableMs / 1000).toFixed(1)} s after a kill (${Object.entries(result.longestUnavailableByPart).map(([p, ms]) => `${p} ${(ms / 1000).toFixed(1)} s`).join(', ')})`,
  ].join('\n'),
);
writeResult(values.out, { ...result, at: new Date().toISOString() });
const broken = turns.lost + turns.duplicated + turns.answeredTwice + webhooks.lost + webhooks.duplicated + webhooks.answeredTwice;
process.exit(broken > 0 ? 1 : 0);
