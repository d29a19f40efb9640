/** `/v1/calls`: outbound calls and the calls list (api/routes/calls.ts); the console infers its types from these. */
import { z } from 'zod';
import { CALL_STATUSES, ANSWERED_BY } from '../voice/types';
import { storable } from './common';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550100');

export const placeCallBody = z.object({
  channelId: z.uuid({ message: 'channelId must be a voice channel id' }),
  to: e164.describe('The number to call'),
  from: e164.optional().describe("One of the channel's numbers; its first when unset"),
  flowId: z.uuid({ message: 'flowId must be a UUID' }).optional().describe("The flow the call runs (its latest published version); the channel's when unset"),
  contactId: z.uuid({ message: 'contactId must be a UUID' }).optional().describe('The contact called; found or created by number when unset'),
  variables: storable(z.record(z.string(), z.unknown())).optional().describe('Variables the flow starts with'),
  machineDetection: z.enum(['Enable', 'DetectMessageEnd']).optional().describe("Twilio's answering-machine detection; the verdict is {{call.answeredBy}}"),
  asyncAmd: z.boolean().optional().describe('Answer at once and learn the verdict later (AsyncAmd)'),
  timeoutSeconds: z.number().int().min(5).max(600).optional().describe('Seconds to ring before no-answer'),
});
export type PlaceCallBody = z.infer<typeof placeCallBody>;

export const callSchema = z.object({
  id: z.string(),
  callSid: z.string().nullable(),
  channelId: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  from: z.string(),
  to: z.string(),
  status: z.enum(CALL_STATUSES),
  answeredBy: z.enum(ANSWERED_BY).nullable(),
  contactId: z.string().nullable(),
  conversationId: z.string().nullable(),
  workflowId: z.string().nullable(),
  flowId: z.string().nullable(),
  flowVersion: z.number().int().nullable(),
  /** Nodes the call visited, in order. */
  path: z.array(z.string()),
  currentNodeId: z.string().nullable(),
  recordingKeys: z.array(z.string()),
  durationSeconds: z.number().int().nullable(),
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type CallDto = z.infer<typeof callSchema>;

export const callList = z.object({ items: z.array(callSchema), nextCursor: z.string().nullable() });

export const callListQuery = z.object({
  status: z.enum(CALL_STATUSES).optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  contactId: z.uuid({ message: 'contactId must be a UUID' }).optional(),
  conversationId: z.uuid({ message: 'conversationId must be a UUID' }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
