import { z } from 'zod';
import { defineNode } from './define';

export const TRANSFER_TARGETS = ['number', 'sip', 'agents'] as const;
export type TransferTarget = (typeof TRANSFER_TARGETS)[number];

/** An E.164 number or a template that renders to one (checked again when the call reaches the node). */
const numberOrTemplate = /^(\+[1-9]\d{6,14}|.*\{\{.+\}\}.*)$/;
const sipOrTemplate = /^(sips?:[^\s@]+@[^\s]+|.*\{\{.+\}\}.*)$/i;

/**
 * Phone calls: connects the caller to someone else with Twilio's `<Dial>`. A warm transfer says
 * the whisper to the person answering before the caller is put through. The result edges come
 * from `DialCallStatus`.
 */
export const transferNode = defineNode({
  type: 'transfer',
  label: 'Transfer call',
  description: 'Phone calls: transfers the caller to a phone number, a SIP address or the human agents (whoever answers first), optionally with a whisper to the person answering (warm transfer).',
  category: 'voice',
  data: z
    .object({
      target: z.enum(TRANSFER_TARGETS).default('number').describe('Where the call goes: a phone number, a SIP address, or the human agents (every agent with a phone in Settings → Users rings at once)'),
      number: z.string().max(200).optional().describe('The number in E.164 form (+4930123456) or a {{variable}} holding one; for target "number"'),
      sipUri: z.string().max(500).optional().describe('The SIP address, e.g. sip:desk@pbx.example.com; for target "sip"'),
      announcement: z.string().max(1000).default('Please hold while I transfer your call.').describe('Said to the caller before dialling; may contain {{variables}}; empty says nothing'),
      whisper: z.string().max(1000).default('').describe('Warm transfer: said to the person who answers before the caller is connected, e.g. "Caller {{name}} about a booking"; empty connects at once'),
      timeoutSeconds: z.number().int().min(5).max(120).default(30).describe('How long to let it ring before following "noAnswer"'),
    })
    .refine((d) => d.target !== 'number' || (d.number !== undefined && numberOrTemplate.test(d.number.trim())), { message: 'number must be an E.164 number such as +4930123456, or a {{variable}}', path: ['number'] })
    .refine((d) => d.target !== 'sip' || (d.sipUri !== undefined && sipOrTemplate.test(d.sipUri.trim())), { message: 'sipUri must be a SIP address such as sip:desk@pbx.example.com', path: ['sipUri'] }),
  outputs: ['completed', 'busy', 'noAnswer', 'failed'],
  // Unconnected, busy and noAnswer follow "failed"; an unconnected "failed" ends the call.
  optionalOutputs: ['busy', 'noAnswer', 'failed'],
  templateFields: ['number', 'sipUri', 'announcement', 'whisper'],
  longTextFields: ['announcement', 'whisper'],
  summary: (d) => (d.target === 'agents' ? 'to the human agents' : d.target === 'sip' ? `to ${String(d.sipUri ?? '?')}` : `to ${String(d.number ?? '?')}`),
});
