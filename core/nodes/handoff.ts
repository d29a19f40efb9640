import { z } from 'zod';
import { defineNode } from './define';

/** Said while a human is found, unless the node says otherwise (llmReply's handoff tool says it too). */
export const DEFAULT_HANDOFF_MESSAGE = 'Let me connect you with a member of our team.';

export const handoffNode = defineNode({
  type: 'handoff',
  label: 'Hand off to a human',
  description: 'Stops the bot and asks a human agent to take over; the flow continues from here when the agent releases it.',
  category: 'flow',
  data: z.object({
    message: z.string().max(4096).default(DEFAULT_HANDOFF_MESSAGE).describe('Sent to the contact while a human is found; may contain {{variables}}'),
    reason: z.string().max(500).optional().describe('Shown to agents in the inbox, e.g. "wants to reschedule"'),
  }),
  chatOnly: 'on a call the bot would hang up while waiting for an agent; use Transfer call to the human agents',
  outputs: ['next'],
  // Unconnected, the bot waits for the contact's next message after the agent releases.
  optionalOutputs: ['next'],
  templateFields: ['message'],
  longTextFields: ['message'],
});
