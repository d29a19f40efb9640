/**
 * `conversation` recording of the bookAppointment node: the service question, a time in words, a
 * slot taken at confirmation, the next slot booked (the appointment run started as a child), then
 * a second booking the contact declines.
 */
import { ApplicationFailure } from '@temporalio/common';
import { SLOT_TAKEN_FAILURE } from '../../../core/appointment-answers';
import { fakeSlots } from '../../workflows/support/fakes';
import { talk } from '../../workflows/support/conversation';
import { conversationInput, flow } from '../../workflows/support/flows';
import { flowRunStateQuery, resumeSignal } from '../../../workflows/messages';
import { eventually } from '../../workflows/support/harness';
import { closeAndSave } from './conversation';
import { startRun, waitingAt } from './flow-run';
import { expectPath, type RecordContext, type Recorder } from './types';

async function recordBooking(ctx: RecordContext) {
  const { h } = ctx;
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'book', type: 'bookAppointment', data: { slotCount: 3, bookedMessage: 'Booked: {{service}} on {{slot}}.' } },
      { id: 'done', type: 'sendMessage', data: { text: 'See you {{appointment.slot}}.' } },
      { id: 'bye', type: 'end', data: { message: 'Bye!' } },
    ],
    [['start', 'book'], ['book', 'done', 'booked'], ['book', 'bye', 'noSlots'], ['book', 'bye', 'cancelled'], ['done', 'bye']],
  );
  let attempts = 0;
  const book = h.fakes.impl.bookFromFlow;
  h.fakes.impl.bookFromFlow = async (input) => {
    if (attempts++ === 0) throw ApplicationFailure.create({ type: SLOT_TAKEN_FAILURE, message: 'taken', nonRetryable: true, details: [{ nextSlots: fakeSlots(3, 2) }] });
    return book(input);
  };
  try {
    const c = talk(h, conversationInput(graph));
    for (const text of ['book me in', 'Haircut', 'next Friday', '2', 'yes', '1', 'yes']) await c.turn(text);
    const state = await c.state();
    expectPath(state.trace.some((t) => t.nodeId === 'book' && t.handle === 'booked') && typeof state.variables.appointment === 'object', 'booked after the slot was taken');
    for (const text of ['another one', 'Colour', '1', 'no']) await c.turn(text);
    expectPath((await c.state()).trace.some((t) => t.nodeId === 'book' && t.handle === 'cancelled'), 'the second booking declined');
    await closeAndSave(ctx, c, 'conversation-booking');
    const appointment = state.variables.appointment as { id: string };
    await h.client.workflow.getHandle(`appt:t1:${appointment.id}`).terminate('recording over');
  } finally {
    h.fakes.impl.bookFromFlow = book;
  }
}

/** A flowRun books too: the slot and the confirmation come by `resume`; the run completes, the booking's run goes on. */
async function recordFlowRunBooking(ctx: RecordContext) {
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'book', type: 'bookAppointment', data: { serviceId: '00000000-0000-4000-8000-000000000001', variable: 'booking' } },
      { id: 'end', type: 'end', data: { message: 'Booked {{booking.slot}}.' } },
    ],
    [['start', 'book'], ['book', 'end', 'booked'], ['book', 'end', 'noSlots'], ['book', 'end', 'cancelled']],
  );
  const run = await startRun(ctx.h, graph, {});
  await waitingAt(run, 'book');
  await run.signal(resumeSignal, { text: '2' });
  await eventually(async () => (((await run.query(flowRunStateQuery)).variables._booking_book as { step?: string } | undefined)?.step === 'confirm' ? true : undefined));
  await run.signal(resumeSignal, { text: 'yes' });
  const output = await run.result();
  expectPath(output.status === 'completed' && output.messages.some((m) => m.text.startsWith('Booked ')), 'booked in a flow run');
  await ctx.save('flowrun-booking', run.workflowId);
  const booking = (output.variables as { booking: { id: string } }).booking;
  await ctx.h.client.workflow.getHandle(`appt:t1:${booking.id}`).terminate('recording over');
}

export const bookingRecorders: Record<string, Recorder> = {
  'conversation-booking': { record: recordBooking },
  'flowrun-booking': { record: recordFlowRunBooking },
};
