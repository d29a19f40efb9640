import { z } from 'zod';
import { defineNode } from './define';

/**
 * Phone calls: puts the caller into a conference room by name (Twilio `<Dial><Conference>`); every
 * call that reaches a conference node with the same room name (after templates) joins the same
 * room. The walk continues on `completed` when the caller leaves the room.
 */
export const conferenceNode = defineNode({
  type: 'conference',
  label: 'Conference',
  description: 'Phone calls: joins the caller to a conference room by name; callers reaching the same room talk together (multi-party).',
  category: 'voice',
  data: z.object({
    room: z.string().min(1, 'room is required').max(100).describe('Room name; calls with the same name meet, e.g. team-standup or booking-{{bookingId}}'),
    announcement: z.string().max(1000).default('').describe('Said to the caller before joining; may contain {{variables}}'),
    startOnEnter: z.boolean().default(true).describe('The conference starts when this caller joins (off: they hear hold music until someone who starts it joins)'),
    endOnExit: z.boolean().default(false).describe('The conference ends for everyone when this caller leaves (for the host)'),
    beep: z.boolean().default(true).describe('Beep when someone joins or leaves'),
  }),
  outputs: ['completed', 'failed'],
  // Unconnected, "failed" ends the call.
  optionalOutputs: ['failed'],
  templateFields: ['room', 'announcement'],
  longTextFields: ['announcement'],
  summary: (d) => (d.room ? `room ${String(d.room)}` : undefined),
});
