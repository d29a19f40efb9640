/**
 * A booking made in a WhatsApp conversation on the real stack (fake Graph API): the contact writes,
 * gets the free slots as a list, taps one, confirms with a button, and the appointment row exists
 * with its own `appointment` run going, which sends the confirmation. A flow naming a service the
 * tenant does not have is refused on publish and validate, with the node and field.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { whatsappButtonReply, whatsappListReply, whatsappText } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { bookableCatalog } from './support';

const PHONE_ID = '106540352242978';
const SECRET = 'wa-app-secret';
let bench: ChannelBench;
let hook: string;
let serviceId: string;

const bookingFlow = (service: string): GraphInput => ({
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'book', type: 'bookAppointment', data: { serviceId: service } },
    { id: 'thanks', type: 'sendMessage', data: { text: 'Thanks {{appointment.serviceName}}!' } },
    { id: 'end', type: 'end', data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'book' },
    { id: 'e2', source: 'book', sourceHandle: 'booked', target: 'thanks' },
    { id: 'e3', source: 'book', sourceHandle: 'noSlots', target: 'end' },
    { id: 'e4', source: 'book', sourceHandle: 'cancelled', target: 'end' },
    { id: 'e5', source: 'thanks', target: 'end' },
  ],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
});

beforeAll(async () => {
  bench = await startChannelBench();
  ({ service: { id: serviceId } } = await bookableCatalog(bench.stack.orm, bench.tenantId, 'UTC'));
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-wa-token' });
  const channel = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-wa-token', appSecret: SECRET, verifyToken: 'wa-verify' }, settings: { phoneNumberId: PHONE_ID } }, bookingFlow(serviceId));
  hook = `${bench.stack.url}/v1/webhooks/whatsapp/${channel.id}`;
}, 120_000);
afterAll(async () => bench?.close());

const phone = `1555${String(Date.now()).slice(-7)}`;
const who = { phoneNumberId: PHONE_ID, from: phone, name: 'Ada' };
const post = (payload: unknown) => bench.graph.post(hook, SECRET, payload as never);
const out = () => bench.graph.sent.filter((m) => m.body.to === phone).map((m) => m.body as Record<string, any>);
const until = (what: string, check: () => boolean | Promise<boolean>) => waitUntil(check, 30_000, what);

it('books through a WhatsApp conversation: list of slots, tapped slot, Yes button, appointment row and its run', async () => {
  await post(whatsappText(who, 'Can I book a haircut?'));
  await until('the slots as a list', () => out().some((b) => b.type === 'interactive' && b.interactive.type === 'list'));
  const offer = out().find((b) => b.type === 'interactive')!;
  expect(offer.interactive.body.text).toMatch(/When would you like to come/);
  const rows = offer.interactive.action.sections.flatMap((s: { rows: { id: string; title: string }[] }) => s.rows);
  expect(rows).toHaveLength(5);

  await post(whatsappListReply(who, rows[1].id, rows[1].title));
  await until('the confirmation question with buttons', () => out().some((b) => b.type === 'interactive' && b.interactive.type === 'button'));
  const question = out().find((b) => b.interactive?.type === 'button')!;
  expect(question.interactive.body.text).toBe(`Shall I book Haircut on ${rows[1].title}? (yes/no)`);
  const yes = question.interactive.action.buttons.find((b: { reply: { title: string } }) => b.reply.title === 'Yes').reply;

  await post(whatsappButtonReply(who, yes.id, yes.title));
  await until('the flow after booked', () => out().some((b) => b.text?.body === 'Thanks Haircut!'));

  const [row] = await bench.rows<{ id: string; status: string; source: string; conversation_id: string; contact_id: string; channel: string; customer_name: string; starts_at: Date }>(
    `select a.id, a.status, a.source, a.conversation_id, a.contact_id, a.channel, a.customer_name, a.starts_at from appointments a join contacts k on k.id = a.contact_id where k.external_id = $1`,
    [`+${phone}`],
  );
  expect(row).toMatchObject({ status: 'booked', source: 'flow', channel: 'whatsapp', customer_name: 'Ada' });
  const [conversation] = await bench.rows<{ id: string }>(`select id from conversations where contact_id = $1`, [row.contact_id]);
  expect(row.conversation_id).toBe(conversation.id);

  // The booking's own run is going and sends its confirmation on WhatsApp.
  const run = await bench.stack.temporal.workflow.getHandle(`appt:${bench.tenantId}:${row.id}`).describe();
  expect(run.type).toBe('appointment');
  expect(run.status.name).toBe('RUNNING');
  await until('the appointment’s confirmation', () => out().some((b) => String(b.text?.body ?? '').startsWith('Hi Ada, your Haircut is booked for')));
});

it('reads a time in words in the contact’s own timezone and books a slot chosen by number', async () => {
  const berliner = { phoneNumberId: PHONE_ID, from: `1666${String(Date.now()).slice(-7)}`, name: 'Bert' };
  const mine = () => bench.graph.sent.filter((m) => m.body.to === berliner.from).map((m) => m.body as Record<string, any>);
  await post(whatsappText(berliner, 'hello'));
  await until('the first offer', () => mine().some((b) => b.type === 'interactive'));
  await bench.rows(`update contacts set attributes = '{"timezone":"Europe/Berlin"}' where external_id = $1`, [`+${berliner.from}`]);

  await post(whatsappText(berliner, 'tomorrow at 11am'));
  await until('the slots of that hour', () => mine().filter((b) => b.type === 'interactive').length === 2);
  const offer = mine().filter((b) => b.type === 'interactive')[1];
  // 11:00-12:00 in Berlin is 10:00-11:00 UTC: the 30-minute slots at 11:00 and 11:30 Berlin time, as buttons.
  expect(offer.interactive.type).toBe('button');
  const titles = offer.interactive.action.buttons.map((b: { reply: { title: string } }) => b.reply.title);
  expect(titles).toHaveLength(2);
  expect(titles[0]).toMatch(/11:00/);
  expect(titles[1]).toMatch(/11:30/);

  await post(whatsappText(berliner, '2'));
  await until('the confirmation question', () => mine().some((b) => String(b.interactive?.body?.text ?? '').startsWith('Shall I book Haircut on')));
  await post(whatsappText(berliner, 'yes'));
  await until('the booking run’s confirmation', () => mine().some((b) => String(b.text?.body ?? '').startsWith('Hi Bert, your Haircut is booked for')));
  const [row] = await bench.rows<{ starts_at: Date; customer_timezone: string }>(
    `select a.starts_at, a.customer_timezone from appointments a join contacts k on k.id = a.contact_id where k.external_id = $1`,
    [`+${berliner.from}`],
  );
  expect(row.customer_timezone).toBe('Europe/Berlin');
  expect(row.starts_at.toISOString().slice(11, 16)).toBe('10:30');
});

it('refuses to publish or validate a flow whose service the tenant does not have, naming node and field', async () => {
  const other = await bench.stack.createTenant();
  const { service: foreign } = await bookableCatalog(bench.stack.orm, other.tenantId, 'UTC');
  for (const missing of [foreign.id, '00000000-0000-4000-8000-000000000000']) {
    const created = await bench.stack.request('POST', '/v1/flows', { apiKey: bench.apiKey, body: { name: 'Bookings', graph: bookingFlow(missing) } });
    const expected = [{ nodeId: 'book', field: 'serviceId', message: `Node 'book': service ${missing} does not exist; remove it or pick another one` }];
    const publish = await bench.stack.request('POST', `/v1/flows/${created.body.id}/publish`, { apiKey: bench.apiKey, body: {} });
    expect(publish.status).toBe(422);
    expect(publish.body.error).toMatchObject({ code: 'flow_invalid', field: 'graph', details: expected });
    expect((await bench.stack.request('POST', `/v1/flows/${created.body.id}/validate`, { apiKey: bench.apiKey })).body).toEqual({ valid: false, errors: expected });
  }
  // The tenant's own service publishes.
  const own = await bench.stack.request('POST', '/v1/flows', { apiKey: bench.apiKey, body: { name: 'Bookings', graph: bookingFlow(serviceId) } });
  expect((await bench.stack.request('POST', `/v1/flows/${own.body.id}/publish`, { apiKey: bench.apiKey, body: {} })).status).toBe(201);
});
