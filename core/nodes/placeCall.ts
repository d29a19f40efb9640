import { z } from 'zod';
import { defineNode, variableIn } from './define';

export const placeCallNode = defineNode({
  type: 'placeCall',
  label: 'Place a call',
  description:
    'Calls a number from a voice channel; when answered, the call runs a flow (the channel’s, or the one named) with the variables given. Answering-machine detection is passed to Twilio; the called flow reads its verdict as {{call.answeredBy}}. Follows "error" when Twilio refuses the call.',
  category: 'integration',
  data: z.object({
    channelId: z.string().uuid('channelId must be a voice channel id').describe('The voice channel that places the call'),
    to: z.string().min(1, 'to is required').max(200).describe('The number to call in E.164, e.g. {{phone}}'),
    flowId: z.string().uuid('flowId must be a flow id').optional().describe('The flow the call runs; the channel’s when empty'),
    variables: z.record(z.string(), z.string().max(1024)).default({}).describe('Variables the called flow starts with; values may contain {{variables}}'),
    machineDetection: z.enum(['Enable', 'DetectMessageEnd']).optional().describe('Twilio’s answering-machine detection'),
    saveAs: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'saveAs must be an identifier').optional().describe('Variable that stores the call (id, callSid, status)'),
  }),
  outputs: ['next', 'error'],
  optionalOutputs: ['error'],
  templateFields: ['to', 'variables.*'],
  sets: (d) => variableIn(d.saveAs),
  summary: (d) => (typeof d.to === 'string' ? `call ${d.to}` : undefined),
});
