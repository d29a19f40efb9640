/**
 * The bookAppointment node on the real Temporal test server with fake activities: the service
 * question, slots as choices, a time in words, confirmation, the booking's own run started as a
 * child that outlives the turn, a slot taken meanwhile, no slots, and "no".
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { SLOT_TAKEN_FAILURE } from '../../core/appointment-answers';
import { modelUsingTools, toolCall } from '../replay/recorders/model';
import { fakeSlots } from '../workflows/support/fakes';
import { talk } from '../workflows/support/conversation';
import { conversationInput, flow } from '../workflows/support/flows';
import { eventually, startHarness, type Harness } from '../workflows/support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'book-node');
});
afterAll(async () => h?.close());
beforeEach(() => h.fakes.reset());

const bookingFlow = (data: Record<string, unknown> = {}) =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'book', type: 'bookAppointment', data },
      { id: 'done', type: 'sendMessage', data: { text: 'See you {{appointment.slot}} ({{appointment.id}})' } },
      { id: 'full', type: 'sendMessage', data: { text: 'Full.' } },
      { id: 'bye', type: 'sendMessage', data: { text: 'Maybe another time.' } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'book'], ['book', 'done', 'booked'], ['book', 'full', 'noSlots'], ['book', 'bye', 'cancelled'], ['done', 'end'], ['full', 'end'], ['bye', 'end']],
  );

describe('bookAppointment node', () => {
  it('asks the service, offers slots as a list, confirms, books and starts the appointment run', async () => {
    const c = talk(h, conversationInput(bookingFlow()));
    const first = await c.turn('I want an appointment');
    expect(first.replies.map((r) => r.text)).toEqual(['Which service would you like to book?']);
    expect(first.replies[0].rich?.interactive).toMatchObject({ type: 'buttons', options: [{ title: 'Haircut' }, { title: 'Colour' }] });

    const offered = await c.turn('2');
    const slots = fakeSlots(1, 5);
    expect(offered.replies[0].text).toMatch(/When would you like to come/);
    expect(offered.replies[0].rich?.interactive).toMatchObject({ type: 'list', options: slots.map((s) => ({ title: s.label })) });
    expect(h.fakes.of(c.workflowId, 'findBookingSlots')[0].input).toMatchObject({ tenantId: 't1', serviceId: 'svc-col', limit: 5, horizonDays: 14 });

    expect(await c.say(slots[2].label)).toEqual([`Shall I book Colour on ${slots[2].label}? (yes/no)`]);
    const { variables: during } = await c.state();
    expect(Object.keys(during).some((k) => k.startsWith('_booking_'))).toBe(true);

    const booked = await c.say('yes');
    const [call] = h.fakes.of(c.workflowId, 'bookFromFlow');
    expect(call.input).toMatchObject({ tenantId: 't1', conversationId: expect.any(String), serviceId: 'svc-col', startsAt: slots[2].startsAt, staffId: 'staff-1' });
    expect(call.input.idempotencyKey).toContain(':book:');
    const state = await c.state();
    const appointment = state.variables.appointment as { id: string; slot: string };
    expect(appointment).toMatchObject({ serviceId: 'svc-col', startsAt: slots[2].startsAt, slot: slots[2].label });
    // No bookedMessage: the booking's own run confirms; the flow goes on at once.
    expect(booked).toEqual([`See you ${slots[2].label} (${appointment.id})`]);
    // The private step state is gone once the node is left.
    expect(Object.keys(state.variables).some((k) => k.startsWith('_booking_'))).toBe(false);
    expect(state.trace.find((t) => t.nodeId === 'book' && t.handle)?.handle).toBe('booked');

    // The booking's own run: a child that outlives the turn, read its booking through its activities.
    const run = h.client.workflow.getHandle(`appt:t1:${appointment.id}`);
    const described = await run.describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.type).toBe('appointment');
    expect(described.raw.workflowExecutionInfo?.parentExecution?.workflowId).toBe(c.workflowId);
    await eventually(async () => (h.fakes.of(run.workflowId, 'loadAppointment')[0]?.input.appointmentId === appointment.id ? true : undefined));
    await run.terminate('test over');
  });

  it('reads a time in words, and "no" at the confirmation follows cancelled', async () => {
    const c = talk(h, conversationInput(bookingFlow({ serviceId: '00000000-0000-4000-8000-000000000001', slotCount: 3 })));
    const first = await c.turn('hi');
    expect(first.replies[0].rich?.interactive).toMatchObject({ type: 'buttons', options: fakeSlots(1, 3).map((s) => ({ title: s.label })) });
    // Words that name no time: asked again, with the choices still open.
    const unclear = await c.turn('whenever suits you');
    expect(unclear.replies[0].text).toMatch(/When would you like to come/);
    expect(unclear.replies[0].rich?.interactive?.options).toHaveLength(3);

    const friday = await c.turn('next Friday evening');
    expect(h.fakes.of(c.workflowId, 'findBookingSlots').at(-1)!.input).toMatchObject({ text: 'next Friday evening', limit: 3 });
    const evening = fakeSlots(5, 2);
    expect(friday.replies[0].rich?.interactive).toMatchObject({ type: 'buttons', options: evening.map((s) => ({ title: s.label })) });
    expect(await c.say('1')).toEqual([`Shall I book Haircut on ${evening[0].label}? (yes/no)`]);
    expect(await c.say('no')).toEqual(['Maybe another time.']);
    expect(h.fakes.of(c.workflowId, 'bookFromFlow')).toHaveLength(0);
  });

  it('answers "just taken" with the next slots, then books one of those', async () => {
    const next = fakeSlots(3, 2);
    let attempts = 0;
    const book = h.fakes.impl.bookFromFlow;
    h.fakes.impl.bookFromFlow = async (input) => {
      if (attempts++ === 0) throw ApplicationFailure.create({ type: SLOT_TAKEN_FAILURE, message: 'taken', nonRetryable: true, details: [{ nextSlots: next }] });
      return book(input);
    };
    const c = talk(h, conversationInput(bookingFlow({ serviceId: '00000000-0000-4000-8000-000000000001', bookedMessage: 'Booked: {{service}} on {{slot}}.' })));
    await c.turn('hi');
    await c.say('1');
    const taken = await c.turn('yes');
    expect(taken.replies.map((r) => r.text)).toEqual(['Sorry, that time was just taken. These are the next free ones:']);
    expect(taken.replies[0].rich?.interactive).toMatchObject({ options: next.map((s) => ({ title: s.label })) });
    await c.say(next[1].label);
    const booked = await c.say('yes');
    expect(booked[0]).toBe(`Booked: Haircut on ${next[1].label}.`);
    expect(attempts).toBe(2);
    const appointment = (await c.state()).variables.appointment as { id: string };
    await h.client.workflow.getHandle(`appt:t1:${appointment.id}`).terminate('test over');
  });

  it('follows noSlots when nothing is free, and a stop word follows cancelled', async () => {
    h.fakes.impl.findBookingSlots = async () => ({ serviceName: 'Haircut', understood: true, slots: [] });
    const c = talk(h, conversationInput(bookingFlow({ serviceId: '00000000-0000-4000-8000-000000000001' })));
    expect(await c.say('hi')).toEqual(['Sorry, there is no free time soon.', 'Full.']);

    h.fakes.reset();
    const d = talk(h, conversationInput(bookingFlow()));
    await d.say('hi');
    expect(await d.say('cancel')).toEqual(['Maybe another time.']);
  });

  it('gives the AI reply the booking tools only when appointmentTools is on, and starts the run of what the model booked', async () => {
    const aiFlow = (appointmentTools: boolean) =>
      flow(
        [
          { id: 'start', type: 'start' },
          { id: 'ai', type: 'llmReply', data: { appointmentTools, allowHandoff: false } },
          { id: 'end', type: 'end' },
        ],
        [['start', 'ai'], ['ai', 'end']],
      );
    modelUsingTools(h.fakes, [toolCall('call_b', 'book', { serviceId: 'svc-cut', startsAt: '2030-01-02T10:00:00Z' })], 'Done.');
    h.fakes.impl.appointmentTool = async ({ name }) => ({ content: `{"booked":{"appointmentId":"ai-1"}}`, ...(name === 'book' ? { bookedId: 'ai-1' } : {}) });

    const off = talk(h, conversationInput(aiFlow(false)));
    await off.say('book me');
    expect(h.fakes.of(off.workflowId, 'llmChat')[0].input.tools.map((t: { name: string }) => t.name)).not.toContain('book');
    expect(h.fakes.of(off.workflowId, 'appointmentTool')).toHaveLength(0);

    const on = talk(h, conversationInput(aiFlow(true)));
    expect(await on.say('book me')).toEqual(['Done.']);
    expect(h.fakes.of(on.workflowId, 'llmChat')[0].input.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['find_slots', 'book', 'reschedule', 'cancel']));
    const [call] = h.fakes.of(on.workflowId, 'appointmentTool');
    expect(call.input).toMatchObject({ tenantId: 't1', name: 'book', arguments: JSON.stringify({ serviceId: 'svc-cut', startsAt: '2030-01-02T10:00:00Z' }) });
    const run = h.client.workflow.getHandle('appt:t1:ai-1');
    expect((await run.describe()).status.name).toBe('RUNNING');
    await run.terminate('test over');
  });
});
