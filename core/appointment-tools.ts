/**
 * The AI reply's booking tools (llmReply `appointmentTools`): what the model is told about them.
 * They run over the scheduling service like the bookAppointment node, on the conversation's own
 * contact only: the model can never reach another customer's booking.
 */
import type { ToolSpec } from './chat';

/** A tool whose arguments are all strings, described one by one; `required` lists the ones it cannot do without. */
const tool = (name: string, description: string, args: Record<string, string>, required: string[] = []): ToolSpec => ({
  name,
  description,
  parameters: {
    type: 'object',
    properties: Object.fromEntries(Object.entries(args).map(([k, d]) => [k, { type: 'string', description: d }])),
    ...(required.length ? { required } : {}),
  },
});

const APPOINTMENT_ID = "Id of the customer's appointment";
const SLOT_START = 'startsAt of the chosen slot, exactly as find_slots gave it';

export const APPOINTMENT_TOOLS: readonly ToolSpec[] = [
  tool(
    'find_slots',
    'Find free appointment times. Without serviceId it lists the services to choose from. `when` is the time the customer asked for in their words (e.g. "next Friday evening"); without it the next free times are listed.',
    { serviceId: 'Id of the service, from a previous find_slots answer', when: 'The requested day or time in words, as the customer said it' },
  ),
  tool(
    'book',
    'Book a free time found by find_slots for the customer, once they have chosen and agreed to it.',
    { serviceId: 'Id of the service', startsAt: SLOT_START, staffId: 'staffId of the chosen slot, if find_slots gave one' },
    ['serviceId', 'startsAt'],
  ),
  tool(
    'reschedule',
    "Move one of the customer's upcoming appointments to another free time (use find_slots first). Without appointmentId their next appointment is moved.",
    { appointmentId: APPOINTMENT_ID, startsAt: SLOT_START },
    ['startsAt'],
  ),
  tool('cancel', "Cancel one of the customer's upcoming appointments when they ask to. Without appointmentId their next appointment is cancelled.", {
    appointmentId: APPOINTMENT_ID,
    reason: 'Why, in the customer’s words',
  }),
];

export const APPOINTMENT_TOOL_NAMES: ReadonlySet<string> = new Set(APPOINTMENT_TOOLS.map((t) => t.name));
