/**
 * The inspector's service picker in real Chromium: a bookAppointment node lists the tenant's
 * services by name (none of another tenant's), "Ask the contact" leaves the field empty, and a
 * picked service is saved in the draft, which then publishes.
 */
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import type { Stack } from '../support/stack';
import type { ConsoleApp, FlowBuilder } from './support/console';
import { startConsoleSession, type ConsoleSession } from './support/session';

let stack: Stack;
let apiKey: string;
let app: ConsoleApp;
let builder: FlowBuilder;
let session: ConsoleSession | undefined;

beforeAll(async () => {
  session = await startConsoleSession('admin');
  ({ stack, apiKey, app, builder } = session);
});

afterAll(async () => {
  await session?.close();
});

const createService = async (name: string, key = apiKey) => {
  const location = await stack.request('POST', '/v1/locations', { apiKey: key, body: { name: 'Main street', timezone: 'Europe/Berlin' } });
  const service = await stack.request('POST', '/v1/services', { apiKey: key, body: { locationId: location.body.id, name, durationMinutes: 30 } });
  expect(service.status).toBe(201);
  return service.body.id as string;
};

const bookingFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'book', type: 'bookAppointment', position: { x: 0, y: 160 }, data: {} },
    { id: 'end', type: 'end', position: { x: 0, y: 320 }, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'book' },
    { id: 'e2', source: 'book', sourceHandle: 'booked', target: 'end' },
    { id: 'e3', source: 'book', sourceHandle: 'noSlots', target: 'end' },
    { id: 'e4', source: 'book', sourceHandle: 'cancelled', target: 'end' },
  ],
};

it('picks the node’s service by name and saves it in the draft', { timeout: 60_000 }, async () => {
  onTestFailed(() => app.screenshot('service-picker-failure'));
  const haircut = await createService('Haircut');
  await createService('Colour');
  await createService('Someone else’s', (await stack.createTenant()).apiKey);
  const flowId = (await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Bookings', graph: bookingFlow } })).body.id;

  await app.goto(`/flows/${flowId}`);
  await builder.node('book').waitFor();
  await builder.select('book');
  const picker = builder.inspector().getByLabel('Service', { exact: true });
  await expect.poll(() => picker.locator('option').allInnerTexts()).toEqual(['Ask the contact', 'Colour', 'Haircut']);
  expect(await picker.inputValue()).toBe('');

  await picker.selectOption({ label: 'Haircut' });
  await app.screenshot('service-picker');
  await expect
    .poll(async () => (await stack.request('GET', `/v1/flows/${flowId}`, { apiKey })).body.graph.nodes.find((n: { id: string }) => n.id === 'book').data.serviceId)
    .toBe(haircut);
  expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey, body: {} })).status).toBe(201);
});
