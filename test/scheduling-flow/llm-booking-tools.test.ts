/**
 * The AI reply's booking tools on the real stack, driven by the fake OpenAI server's scripted tool
 * calls: find_slots, book (the booking's appointment run starts), reschedule and cancel through
 * that run, and a contact who cannot touch another contact's booking.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { startFakeOpenAI, type FakeOpenAI, type FakeResponse, type RecordedRequest } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { bookableCatalog } from './support';

let stack: Stack;
let fake: FakeOpenAI;
let apiKey: string;
let tenantId: string;
let serviceId: string;
let flowId: string;

const graph: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'assistant', type: 'llmReply', data: { systemPrompt: 'You book haircuts.', appointmentTools: true, allowHandoff: false } },
    { id: 'end', type: 'end', data: {} },
  ],
  edges: [
    { id: 'a', source: 'start', target: 'assistant' },
    { id: 'b', source: 'assistant', target: 'end' },
  ],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
};

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
  ({ apiKey, tenantId } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } }));
  ({ service: { id: serviceId } } = await bookableCatalog(stack.orm, tenantId, 'UTC'));
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Bookings', graph } });
  flowId = flow.body.id;
  expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

/** The tool results the model has seen in this request, newest last. */
const toolResults = (req: RecordedRequest) => (req.body.messages as { role: string; content: string }[]).filter((m) => m.role === 'tool').map((m) => m.content);
const call = (name: string, args: Record<string, unknown>): FakeResponse => ({ toolCalls: [{ id: `call_${name}_${Date.now()}`, name, arguments: JSON.stringify(args) }] });

/** Scripts one turn: each step sees the tool results so far (this turn's last one first) and answers. */
function scriptTurn(steps: ((lastTool: any) => FakeResponse)[]) {
  let i = 0;
  fake.script((req) => {
    const last = toolResults(req).at(-1);
    const step = steps[Math.min(i++, steps.length - 1)];
    return step(last === undefined ? undefined : last.startsWith('{') ? JSON.parse(last) : last);
  });
}

const conversation = async (name: string) => (await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId, contact: { externalId: `${name}-${Date.now()}`, name } } })).body.id as string;
const turn = async (id: string, text: string) => {
  const res = await stack.request('POST', `/v1/conversations/${id}/messages`, { apiKey, body: { text } });
  expect(res.status).toBe(200);
  return res.body.replies.map((r: { text: string }) => r.text) as string[];
};
const appointment = async (id: string) => (await stack.request('GET', `/v1/appointments/${id}`, { apiKey })).body;

it('finds slots, books, reschedules and cancels through the booking tools, on the contact’s own booking only', async () => {
  const ada = await conversation('Ada');
  let offered: { startsAt: string; staffId: string; label: string }[] = [];
  let bookedId = '';
  scriptTurn([
    () => call('find_slots', {}),
    (services) => call('find_slots', { serviceId: services.services[0].serviceId, when: 'tomorrow' }),
    (found) => ((offered = found.slots), call('book', { serviceId, startsAt: found.slots[1].startsAt, staffId: found.slots[1].staffId })),
    (booked) => ((bookedId = booked.booked.appointmentId), { content: `Booked for ${booked.booked.label}.` }),
  ]);
  const replies = await turn(ada, 'Can I get a haircut tomorrow?');
  expect(offered.length).toBeGreaterThan(2);
  expect(replies).toEqual([`Booked for ${offered[1].label}.`]);
  const booked = await appointment(bookedId);
  expect(booked).toMatchObject({ status: 'booked', source: 'llm', startsAt: offered[1].startsAt, customerName: 'Ada', conversationId: ada });
  const run = stack.temporal.workflow.getHandle(`appt:${tenantId}:${bookedId}`);
  expect((await run.describe()).status.name).toBe('RUNNING');

  // Another contact's model cannot move or cancel Ada's booking, even by its id.
  const eve = await conversation('Eve');
  let refused = '';
  scriptTurn([() => call('cancel', { appointmentId: bookedId }), (answer) => ((refused = String(answer)), { content: 'I cannot find a booking for you.' })]);
  await turn(eve, 'Cancel appointment ' + bookedId);
  expect(refused).toBe('error: the customer has no upcoming appointment to change');
  expect((await appointment(bookedId)).status).toBe('booked');

  // Reschedule goes through the booking's run, which then holds the new time.
  scriptTurn([() => call('reschedule', { startsAt: offered[2].startsAt }), (moved) => ({ content: `Moved: ${moved.rescheduled.startsAt}` })]);
  expect(await turn(ada, 'Can we make it a bit later?')).toEqual([`Moved: ${offered[2].startsAt}`]);
  expect((await appointment(bookedId)).startsAt).toBe(offered[2].startsAt);
  expect(((await run.query('state')) as { startsAt: string }).startsAt).toBe(offered[2].startsAt);

  scriptTurn([() => call('cancel', { reason: 'ill' }), (cancelled) => ({ content: `Status ${cancelled.cancelled.status}` })]);
  expect(await turn(ada, 'Please cancel it, I am ill')).toEqual(['Status cancelled']);
  expect(await appointment(bookedId)).toMatchObject({ status: 'cancelled', cancelReason: 'ill' });
  await waitUntil(async () => (await run.describe()).status.name !== 'RUNNING', 15_000, 'the run ends with the cancellation');
});
