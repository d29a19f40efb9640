/**
 * Book appointment: asks the service (when the node names none), offers the next free slots as
 * choices (buttons or a list where the channel has them, numbered text elsewhere), takes a chosen
 * slot by number or label, or a time in words ("next Friday evening": the slots then), confirms
 * and books through the scheduling service. The booking's own `appointment` workflow is started as
 * an abandoned child: it outlives this conversation's run (and its continue-as-new).
 *
 * The interpreter keeps only `retries` across an await, so the node's own steps live in a private
 * variable, removed when the node is left.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { FlowBooking, LabelledSlot } from '../../../activities/scheduling/flow-types';
import { SLOT_TAKEN_FAILURE } from '../../../core/appointment-answers';
import { choiceInteractive, validateAnswer } from '../../../core/answers';
import { renderTemplate } from '../../../core/template';
import type { FlowRuntime, NodeHandler, NodeOf, Outcome } from '../types';
import { startAppointmentRun } from './appointment-run';

type Node = NodeOf<'bookAppointment'>;

interface BookingState {
  step: 'service' | 'slot' | 'confirm';
  services?: { id: string; name: string }[];
  serviceId?: string;
  serviceName?: string;
  slots?: LabelledSlot[];
  chosen?: LabelledSlot;
}

const CANCEL_WORDS = new Set(['cancel', 'stop', 'quit', 'never mind', 'nevermind', 'no thanks', 'annuleren', 'annuler', 'abbrechen', 'cancelar']);

const stateKey = (node: Node) => `_booking_${node.id}`;
const stateOf = (node: Node, rt: FlowRuntime) => rt.variables[stateKey(node)] as BookingState | undefined;
const save = (node: Node, rt: FlowRuntime, state: BookingState) => void (rt.variables[stateKey(node)] = state);
const leave = (node: Node, rt: FlowRuntime, handle: string, output?: unknown): Outcome => {
  delete rt.variables[stateKey(node)];
  return { kind: 'follow', handle, ...(output !== undefined ? { output } : {}) };
};

const render = (text: string, rt: FlowRuntime, extra: Record<string, string>) => renderTemplate(text, { ...rt.variables, ...extra });

const options = (labels: string[]) => ({ interactive: choiceInteractive(labels) });

function wantsToStop(text: string): boolean {
  const word = text.trim().toLowerCase().replace(/[.!?]+$/, '');
  if (CANCEL_WORDS.has(word)) return true;
  const yesNo = validateAnswer(word, { inputType: 'yesno' });
  return yesNo.ok && yesNo.value === false;
}

export const bookAppointment: NodeHandler<'bookAppointment'> = {
  async run(node, rt) {
    delete rt.variables[stateKey(node)];
    if (node.data.serviceId) return offer(node, rt, node.data.serviceId);
    const { services } = await rt.activities.call(node.id, 'listBookableServices', { tenantId: rt.tenantId });
    if (services.length === 0) return noSlots(node, rt, '');
    // One service is no question.
    if (services.length === 1) return offer(node, rt, services[0].id);
    save(node, rt, { step: 'service', services });
    await rt.say(node.id, render(node.data.servicePrompt, rt, {}), 'bookAppointment', undefined, undefined, options(services.map((s) => s.name)));
    return { kind: 'await', retries: 0 };
  },

  async answer(node, rt, text, retries) {
    const state = stateOf(node, rt);
    // A run from before this node stored its state (or a lost one): start the node over.
    if (!state) return bookAppointment.run(node, rt);
    if (wantsToStop(text)) return leave(node, rt, 'cancelled', { cancelled: text });
    if (state.step === 'service') {
      const services = state.services ?? [];
      const picked = validateAnswer(text, { inputType: 'choice', choices: services.map((s) => s.name) });
      if (picked.ok) return offer(node, rt, services.find((s) => s.name === picked.value)!.id);
      return retry(node, rt, retries, text, picked.reason);
    }
    if (state.step === 'confirm') {
      const yes = validateAnswer(text, { inputType: 'yesno' });
      if (yes.ok && yes.value === true) return book(node, rt, state);
      return retry(node, rt, retries, text, 'Please answer yes or no.');
    }
    const slots = state.slots ?? [];
    const picked = validateAnswer(text, { inputType: 'choice', choices: slots.map((s) => s.label) });
    if (picked.ok) return confirm(node, rt, state, slots.find((s) => s.label === picked.value)!);
    const found = await rt.activities.call(node.id, 'findBookingSlots', {
      tenantId: rt.tenantId,
      ...(rt.conversationId ? { conversationId: rt.conversationId } : {}),
      serviceId: state.serviceId!,
      limit: node.data.slotCount,
      horizonDays: node.data.horizonDays,
      text,
    });
    if (!found.understood) return retry(node, rt, retries, text, render(node.data.prompt, rt, { service: state.serviceName ?? '' }), slots);
    if (found.slots.length === 0) return noSlots(node, rt, state.serviceName ?? '');
    // Exactly one free time in what they asked for: that is their choice.
    if (found.slots.length === 1) return confirm(node, rt, state, found.slots[0]);
    return present(node, rt, { ...state, slots: found.slots }, render(node.data.prompt, rt, { service: state.serviceName ?? '' }));
  },

  timeout: async (node, rt) => leave(node, rt, 'timeout'),

  inputTimeoutMs: (node) => (node.data.timeoutSeconds ? node.data.timeoutSeconds * 1000 : null),
};

/** The next free slots of the service, offered as choices; none within the horizon follows `noSlots`. */
async function offer(node: Node, rt: FlowRuntime, serviceId: string): Promise<Outcome> {
  const found = await rt.activities.call(node.id, 'findBookingSlots', {
    tenantId: rt.tenantId,
    ...(rt.conversationId ? { conversationId: rt.conversationId } : {}),
    serviceId,
    limit: node.data.slotCount,
    horizonDays: node.data.horizonDays,
  });
  if (found.slots.length === 0) return noSlots(node, rt, found.serviceName);
  return present(node, rt, { step: 'slot', serviceId, serviceName: found.serviceName, slots: found.slots }, render(node.data.prompt, rt, { service: found.serviceName }));
}

async function present(node: Node, rt: FlowRuntime, state: BookingState, text: string): Promise<Outcome> {
  save(node, rt, { ...state, step: 'slot', chosen: undefined });
  await rt.say(node.id, text, 'bookAppointment', undefined, undefined, options(state.slots!.map((s) => s.label)));
  return { kind: 'await', retries: 0 };
}

async function confirm(node: Node, rt: FlowRuntime, state: BookingState, chosen: LabelledSlot): Promise<Outcome> {
  save(node, rt, { ...state, step: 'confirm', chosen });
  await rt.say(node.id, render(node.data.confirmPrompt, rt, { service: state.serviceName ?? '', slot: chosen.label }), 'bookAppointment', undefined, undefined, options(['Yes', 'No']));
  return { kind: 'await', retries: 0 };
}

async function noSlots(node: Node, rt: FlowRuntime, serviceName: string): Promise<Outcome> {
  await rt.say(node.id, render(node.data.noSlotsMessage, rt, { service: serviceName }), 'bookAppointment');
  return leave(node, rt, 'noSlots');
}

/** An answer that names nothing: asked again (with the choices still open) until maxRetries, then `cancelled`. */
async function retry(node: Node, rt: FlowRuntime, retries: number, text: string, reason: string, slots?: LabelledSlot[]): Promise<Outcome> {
  if (retries >= node.data.maxRetries) return leave(node, rt, 'cancelled', { invalid: text });
  await rt.say(node.id, reason, 'bookAppointment', undefined, undefined, slots?.length ? options(slots.map((s) => s.label)) : undefined);
  return { kind: 'await', retries: retries + 1, output: { invalid: text } };
}

async function book(node: Node, rt: FlowRuntime, state: BookingState): Promise<Outcome> {
  const chosen = state.chosen!;
  let booking: FlowBooking;
  try {
    booking = await rt.activities.call(node.id, 'bookFromFlow', {
      tenantId: rt.tenantId,
      ...(rt.conversationId ? { conversationId: rt.conversationId } : {}),
      serviceId: state.serviceId!,
      startsAt: chosen.startsAt,
      staffId: chosen.staffId,
      idempotencyKey: rt.key(node.id),
    });
  } catch (err) {
    const next = takenSlots(err);
    if (!next) throw err;
    if (next.length === 0) return noSlots(node, rt, state.serviceName ?? '');
    return present(node, rt, { ...state, slots: next }, render(node.data.takenMessage, rt, { service: state.serviceName ?? '' }));
  }
  await startAppointmentRun(rt, booking.id);
  rt.variables[node.data.variable] = booking;
  if (node.data.bookedMessage) await rt.say(node.id, render(node.data.bookedMessage, rt, { service: booking.serviceName, slot: booking.slot }), 'bookAppointment');
  return leave(node, rt, 'booked', { [node.data.variable]: booking });
}

/** The next free slots of a SlotTaken failure, or null for any other error. */
function takenSlots(err: unknown): LabelledSlot[] | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== SLOT_TAKEN_FAILURE) return null;
  return (cause.details?.[0] as { nextSlots?: LabelledSlot[] } | undefined)?.nextSlots ?? [];
}
