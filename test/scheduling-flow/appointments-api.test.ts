/**
 * `/v1/appointments` on the whole platform (real API, worker, activities, PostgreSQL, Temporal):
 * a booking starts its run, whose timers the run page shows; the same idempotency key books once;
 * a taken slot is a 409 with the next free slots; reschedule moves the run's reminders, cancel
 * ends the run; another tenant's booking is a 404; the staff member and a customer without a
 * conversation hear of it by email.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentWorkflowId } from '../../core/ids';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { nextMondayAt } from '../scheduling/fixtures';
import { bookableCatalog } from './support';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';

let stack: Stack;
let smtp: FakeSmtp;
let owner: { tenantId: string; apiKey: string; serviceId: string };
let other: { apiKey: string };

beforeAll(async () => {
  smtp = await startFakeSmtp();
  stack = await startStack({ ...sharedServers(), env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
  const t = await stack.createTenant();
  const { service } = await bookableCatalog(stack.orm, t.tenantId);
  owner = { ...t, serviceId: service.id };
  other = await stack.createTenant();
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
});

const book = (startsAt: string, key?: string) =>
  stack.request('POST', '/v1/appointments', { apiKey: owner.apiKey, body: { serviceId: owner.serviceId, startsAt, customer: { name: 'Ada', email: 'ada@example.test', timezone: 'America/New_York' }, ...(key ? { idempotencyKey: key } : {}) } });

/** The run page's view of a booking's run: its live state while it runs. */
async function runState(appointmentId: string) {
  const res = await stack.request('GET', `/v1/runs/${encodeURIComponent(appointmentWorkflowId(owner.tenantId, appointmentId))}`, { apiKey: owner.apiKey });
  return res.body as { status: string; type: string; state: { status: string; startsAt: string; timers: { name: string; at: string; fired: boolean }[]; log: { event: string }[] } | null };
}

describe('appointments API', () => {
  it('books once per key, starts the run with its reminders, refuses the taken slot with the next ones', async () => {
    const startsAt = nextMondayAt('10:00');
    const key = `k-${randomUUID()}`;
    const first = await book(startsAt, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'booked', serviceName: 'Haircut', source: 'api' });
    const again = await book(startsAt, key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);

    const taken = await book(startsAt);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('slot_taken');
    expect(taken.body.error.details.nextSlots.length).toBeGreaterThan(0);

    await waitUntil(async () => (await runState(first.body.id)).state?.log.some((l) => l.event.startsWith('confirmation')) ?? false, 15_000, 'the confirmation');
    const run = await runState(first.body.id);
    expect(run.type).toBe('appointment');
    const reminders = run.state!.timers.filter((t) => t.name.startsWith('reminder'));
    // 10:00 Berlin is 04:00 in New York: both reminders fall in the contact's night and move to 20:59 New York time.
    expect(reminders.map((r) => r.name)).toEqual(['reminder-24h', 'reminder-2h']);
    expect(reminders.every((r) => !r.fired)).toBe(true);
    const local = reminders.map((r) => new Date(r.at).toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false }));
    expect(local).toEqual(['20:59', '20:59']);
  });

  it('moves the run’s reminders with a reschedule and ends the run with a cancel', async () => {
    const booked = await book(nextMondayAt('13:00'));
    expect(booked.status).toBe(201);
    const id = booked.body.id as string;
    await waitUntil(async () => (await runState(id)).state?.startsAt === booked.body.startsAt, 15_000, 'the run loaded');

    const to = nextMondayAt('15:30');
    const moved = await stack.request('POST', `/v1/appointments/${id}/reschedule`, { apiKey: owner.apiKey, body: { startsAt: to } });
    expect(moved.status).toBe(200);
    expect(moved.body.startsAt).toBe(new Date(to).toISOString());
    const state = (await runState(id)).state!;
    expect(state.startsAt).toBe(moved.body.startsAt);
    const twoHours = state.timers.find((t) => t.name === 'reminder-2h')!;
    // 15:30 Berlin = 09:30 New York; 2 h before is 07:30 there, quiet: 20:59 the evening before.
    expect(new Date(twoHours.at).toLocaleString('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false })).toMatch(/20:59/);

    // Another tenant's key: the booking does not exist for it.
    expect((await stack.request('POST', `/v1/appointments/${id}/cancel`, { apiKey: other.apiKey, body: {} })).status).toBe(404);

    const cancelled = await stack.request('POST', `/v1/appointments/${id}/cancel`, { apiKey: owner.apiKey, body: { reason: 'ill', by: 'customer' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await waitUntil(async () => (await runState(id)).status === 'completed', 15_000, 'the run ended');
    // The run is over: a later mark goes to the row directly, and is refused as the service refuses it.
    const late = await stack.request('POST', `/v1/appointments/${id}/no-show`, { apiKey: owner.apiKey });
    expect(late.status).toBe(409);
  });

  it('confirms and marks attendance through the run', async () => {
    const booked = await book(nextMondayAt('11:00'));
    const id = booked.body.id as string;
    const confirmed = await stack.request('POST', `/v1/appointments/${id}/confirm`, { apiKey: owner.apiKey });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    const done = await stack.request('POST', `/v1/appointments/${id}/complete`, { apiKey: owner.apiKey });
    expect(done.body.status).toBe('completed');
    const state = (await runState(id)).state!;
    expect(state.status).toBe('completed');
    expect(state.timers.map((t) => t.name)).toEqual(['follow-up']);
  });

  it('books a weekly series: one run per booked occurrence', async () => {
    const res = await stack.request('POST', '/v1/appointments', {
      apiKey: owner.apiKey,
      body: { serviceId: owner.serviceId, startsAt: nextMondayAt('16:00'), recurrenceRule: 'FREQ=WEEKLY;COUNT=3', customer: { name: 'Ada' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.booked).toHaveLength(3);
    for (const booked of res.body.booked as { id: string; startsAt: string }[]) {
      await waitUntil(async () => (await runState(booked.id)).state?.startsAt === booked.startsAt, 15_000, `the run of ${booked.startsAt}`);
    }
  });

  it('mails the staff member each change, and the customer who has no conversation', async () => {
    const mailsTo = (address: string) => smtp.messages.filter((m) => m.envelope.to.includes(address)).map((m) => m.subject ?? '');
    const customerEmail = `ada-${randomUUID().slice(0, 8)}@example.test`;
    const booked = await stack.request('POST', '/v1/appointments', { apiKey: owner.apiKey, body: { serviceId: owner.serviceId, startsAt: nextMondayAt('14:00'), customer: { name: 'Ada', email: customerEmail } } });
    expect(booked.status).toBe(201);
    await waitUntil(() => mailsTo(customerEmail).length === 1, 15_000, 'the confirmation email');
    expect(mailsTo(customerEmail)[0]).toBe('Haircut: your appointment');
    expect(smtp.messages.find((m) => m.envelope.to.includes(customerEmail))!.parsed.text).toMatch(/^Hi Ada, your Haircut is booked for Monday/);
    // Other tests book and move too: the staff mails of this booking name its times (14:00, then 14:30 Berlin).
    const staffMail = (pattern: RegExp) => () => mailsTo('dana@example.test').some((s) => pattern.test(s));
    await waitUntil(staffMail(/^New booking: Haircut, .* 2:00\sPM/), 15_000, 'the staff email of the booking');
    const moved = await stack.request('POST', `/v1/appointments/${booked.body.id}/reschedule`, { apiKey: owner.apiKey, body: { startsAt: nextMondayAt('14:30') } });
    expect(moved.status).toBe(200);
    await waitUntil(staffMail(/^Moved: Haircut, now .* 2:30\sPM/), 15_000, 'the staff email of the move');
    await waitUntil(() => mailsTo(customerEmail).length === 2, 15_000, 'the customer email of the move');
  });
});
