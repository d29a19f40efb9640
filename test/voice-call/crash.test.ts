/**
 * A caller is never lost to a worker restart: the worker process dies (SIGKILL) after the menu was
 * answered, a new worker starts, and the caller's key press is answered by it — the call goes on
 * where it was, with nothing said twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callWorkflowId } from '../../core/ids';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { newPhone, receptionistFlow, startVoiceBench, type VoiceBench } from './support/bench';

let bench: VoiceBench;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  bench = await startVoiceBench({ worker: false });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  await bench?.close();
});

it('answers the digit pressed after the worker died, from a new worker, where the call was', async () => {
  const env = bench.stack.workerEnv();
  const first = await startWorkerProcess(env);
  workers.push(first);
  const channel = await bench.channel(receptionistFlow);
  const caller = bench.caller(channel, newPhone());

  const menu = await caller.answer();
  expect(menu.status).toBe(200);
  expect(caller.gather().attrs.action).toBe(`${channel.webhookUrl}/gather?node=menu`);
  expect(await bench.heard(caller, 2)).toEqual(['Hello, thanks for calling.', 'For bookings press 1 or say booking. For opening hours press 2.']);

  await first.kill('SIGKILL');
  const second = await startWorkerProcess(env);
  workers.push(second);
  // The run's next workflow task was bound to the dead worker's sticky queue: Temporal moves it to the
  // task queue, and the new worker, which has never seen this call, replays it and answers the key.
  const hours = await caller.press('2');
  expect(hours.status).toBe(200);
  expect(hours.verbs.at(-1)?.name).toBe('Hangup');
  expect(await bench.heard(caller, 2)).toEqual(['We are open from noon to midnight.', 'Goodbye.']);

  await caller.hangup(20);
  await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, caller.sid)).result();
  const [call] = await bench.rows(`select status, path, conversation_id from calls where call_sid = ?`, [caller.sid]);
  expect(call).toMatchObject({ status: 'completed', path: ['start', 'hello', 'menu', 'hours', 'bye'] });
  // Every line once: nothing replayed by the new worker was stored or said again.
  const lines = await bench.rows(`select author, text, count(*)::int as n from messages where conversation_id = ? group by author, text, created_at order by created_at`, [call.conversation_id]);
  expect(lines.map((l: any) => `${l.author}:${l.text}:${l.n}`)).toEqual([
    'bot:Hello, thanks for calling.:1',
    'bot:For bookings press 1 or say booking. For opening hours press 2.:1',
    'contact:2:1',
    'bot:We are open from noon to midnight.:1',
    'bot:Goodbye.:1',
  ]);
}, 120_000);
