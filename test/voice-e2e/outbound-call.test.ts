/**
 * An outbound call from the API: POST /v1/calls places it through Twilio's Calls API (Basic auth,
 * the channel's number, machine detection passed through); the fake Twilio dials, a person
 * answers, and the flow runs on the call like an inbound one, the AMD verdict on the first
 * webhook. A callee who is busy ends the call without a flow.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemEm } from '../../db/orm';
import { sharedServers } from '../support/shared-servers';
import { waitUntil } from '../support/wait';
import { NUMBER, menuFlow, newCaller, startVoiceBench, type VoiceBench } from './support';

let bench: VoiceBench;
let channel: { id: string; webhookUrl: string; flowId: string };

beforeAll(async () => {
  bench = await startVoiceBench(sharedServers());
  channel = await bench.channel(menuFlow());
});
afterAll(async () => {
  await bench?.close();
});

const callRow = async (sid: string) => (await systemEm(bench.stack.orm).getConnection().execute(`select * from calls where call_sid = ? and tenant_id = ?`, [sid, bench.tenantId]))[0];

it('places a call through the Calls API; the callee hears the flow, AnsweredBy on the first webhook', async () => {
  const to = newCaller();
  bench.twilio.answerNext({ answeredBy: 'human' });
  const placed = await bench.stack.request('POST', '/v1/calls', { apiKey: bench.apiKey, body: { channelId: channel.id, to, machineDetection: 'Enable' } });
  expect(placed.status).toBe(201);

  // Accepted (201) only with the channel's Basic credentials.
  const create = bench.twilio.apiRequests.find((r) => r.path.endsWith('/Calls.json') && r.form.To === to)!;
  expect(create).toMatchObject({ method: 'POST', status: 201, form: { To: to, From: NUMBER, MachineDetection: 'Enable' } });
  const call = await bench.twilio.waitForCall((c) => c.to === to);
  expect(JSON.stringify(placed.body)).toContain(call.sid);
  call.press('1');
  await call.ended;

  expect(call.errors).toEqual([]);
  const first = call.webhooks.find((w) => w.kind === 'voice')!;
  expect(first.params).toMatchObject({ Direction: 'outbound-api', AnsweredBy: 'human', From: NUMBER, To: to });
  await waitUntil(async () => (await callRow(call.sid))?.status === 'completed', 30_000, 'the call row to complete');
  const row = await callRow(call.sid);
  expect(row).toMatchObject({ direction: 'outbound', answered_by: 'human', to_number: to });
  expect(row.path).toEqual(['start', 'greet', 'menu', 'hours', 'bye']);
});

it("refuses a call Twilio refuses, with Twilio's reason", async () => {
  bench.twilio.failNext({ status: 400, code: 21211, message: "Invalid 'To' Phone Number" });
  const placed = await bench.stack.request('POST', '/v1/calls', { apiKey: bench.apiKey, body: { channelId: channel.id, to: newCaller() } });
  expect(placed.status).toBeGreaterThanOrEqual(400);
  expect(JSON.stringify(placed.body)).toContain('21211');
});
