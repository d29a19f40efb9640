import { z } from 'zod';
import { defineNode, variableIn } from './define';

export const bookAppointmentNode = defineNode({
  type: 'bookAppointment',
  label: 'Book appointment',
  description: 'Offers the next free times of a service, understands a chosen time or a day in words, confirms and books it.',
  category: 'integration',
  data: z.object({
    serviceId: z.string().uuid('serviceId must be a service id').optional().describe('The service to book; empty asks the contact to choose one of the active services'),
    servicePrompt: z.string().min(1).max(4096).default('Which service would you like to book?').describe('Asks for the service when none is set; the services are offered as choices'),
    prompt: z
      .string()
      .min(1)
      .max(4096)
      .default('When would you like to come? Choose a time or tell me a day, e.g. "next Friday evening".')
      .describe('Sent with the free times as choices; may contain {{variables}}, {{service}} names the service'),
    confirmPrompt: z.string().min(1).max(4096).default('Shall I book {{service}} on {{slot}}? (yes/no)').describe('Asks to confirm the chosen time; {{service}} and {{slot}} name the choice'),
    bookedMessage: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe('Sent once booked ({{service}} and {{slot}} name it); empty leaves it to the booking’s own confirmation, which its appointment run sends on the same channel'),
    takenMessage: z.string().min(1).max(4096).default('Sorry, that time was just taken. These are the next free ones:').describe('Sent with the next free times when somebody else booked the chosen one first'),
    noSlotsMessage: z.string().min(1).max(4096).default('Sorry, there is no free time soon.').describe('Sent before following "noSlots" when the service has no free time within the horizon'),
    slotCount: z.number().int().min(1).max(10).default(5).describe('How many free times to offer at once'),
    horizonDays: z.number().int().min(1).max(365).default(14).describe('How many days ahead to look for free times'),
    variable: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable must be an identifier')
      .default('appointment')
      .describe('Variable that stores the booking: {id, startsAt, endsAt, serviceId, serviceName, slot}'),
    maxRetries: z.number().int().min(0).max(10).default(2).describe('How many answers that name no time to allow before following "cancelled"'),
    timeoutSeconds: z.number().int().positive().max(30 * 24 * 3600).optional().describe('Seconds to wait for each answer before following the "timeout" edge; empty waits forever'),
  }),
  chatOnly: 'its slot choices are written lists and buttons; on a call, ask for the time with Gather or Menu and book with the AI reply’s booking tools',
  outputs: ['booked', 'noSlots', 'cancelled', 'timeout'],
  // Unconnected, `timeout` ends the walk: the next message starts over.
  optionalOutputs: ['timeout'],
  waitsForInput: true,
  references: { serviceId: 'service' },
  templateFields: ['servicePrompt', 'prompt', 'confirmPrompt', 'bookedMessage', 'takenMessage', 'noSlotsMessage'],
  longTextFields: ['prompt'],
  sets: (d) => variableIn(d.variable ?? 'appointment'),
  summary: (d) => `→ ${typeof d.variable === 'string' && d.variable ? d.variable : 'appointment'}`,
});
