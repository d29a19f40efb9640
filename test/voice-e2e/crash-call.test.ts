/**
 * Durability of a call: the worker process dies (SIGKILL) while the caller listens to the menu,
 * before pressing a key. A new worker starts; the caller presses 2 and is answered with the
 * booking question as if nothing happened, and the call completes its path once: one visit per
 * node, one transcript line per turn, one completed call row.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callWorkflowId } from '../../core/ids';
import { systemEm } from '../../db/orm';
import { sharedServers } from '../support/shared-servers';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { bookingTranscript, NUMBER, menuFlow, newCaller, startVoiceBench, type VoiceBench } from './support';

let bench: VoiceBench;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  bench = await startVoiceBench({ ...sharedServers(), worker: false });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  await bench?.close();
});

const rows = <T = any>(sql: string, params: unknown[]) => systemEm(bench.stack.orm).getConnection().execute<T[]>(sql, params);

it('answers the caller correctly after the worker died between the menu prompt and the digit, and completes the path once', async () => {
  const env = bench.stack.workerEnv();
  const first = await startWorkerProcess(env, 120_000);
  workers.push(first);
  const channel = await bench.channel(menuFlow());

  const call = bench.twilio.call({ url: channel.webhookUrl, from: newCaller(), to: NUMBER });
  expect(await call.waitForListening()).toBe('gather');
  await first.kill('SIGKILL');

  workers.push(await startWorkerProcess(env, 120_000));
  call.press('2');
  expect(await call.waitForListening()).toBe('gather');
  call.say('A table for two tonight');
  await call.ended;

  expect(call.errors).toEqual([]);
  expect(call.status).toBe('completed');
  // The digit was answered with the booking question (not the menu again, not an application error).
  const afterDigit = call.requests('gather')[0];
  expect(afterDigit.status).toBe(200);
  expect(afterDigit.params.Digits).toBe('2');
  expect(afterDigit.ms).toBeLessThan(15_000);

  // The run finishes on the completed status callback: nothing of it can run after that.
  await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, call.sid)).result();
  const [row] = await rows(`select * from calls where call_sid = ? and tenant_id = ?`, [call.sid, bench.tenantId]);
  expect(row).toMatchObject({ status: 'completed' });
  expect(row.path).toEqual(['start', 'greet', 'menu', 'askBooking', 'confirm', 'bye']);
  const lines = await rows<{ author: string; text: string }>(`select author, text from messages where conversation_id = ? and tenant_id = ? order by created_at, id`, [row.conversation_id, bench.tenantId]);
  expect(lines.map((m) => `${m.author}: ${m.text}`)).toEqual(bookingTranscript('A table for two tonight'));
  expect(await rows(`select id from calls where call_sid = ? and tenant_id = ?`, [call.sid, bench.tenantId])).toHaveLength(1);
}, 300_000);
