import { z } from 'zod';
import { defineNode, variableIn } from './define';

/**
 * Phone calls: voicemail. Says the prompt, records after the beep (Twilio `<Record>`) up to the
 * maximum length, stores the recording on the conversation and transcribes it; the transcript
 * lands in the variable and in the conversation beside the recording.
 */
export const recordNode = defineNode({
  type: 'record',
  label: 'Record (voicemail)',
  description: 'Phone calls: records a message after the beep (voicemail), stores it with the conversation and transcribes it into a variable.',
  category: 'voice',
  data: z.object({
    prompt: z.string().max(1000).default('Please leave a message after the beep. Press the hash key when you are done.').describe('Said before the beep; may contain {{variables}}'),
    maxLengthSeconds: z.number().int().min(1).max(3600).default(120).describe('The longest message in seconds'),
    silenceTimeoutSeconds: z.number().int().min(1).max(60).default(5).describe('Seconds of silence that end the recording'),
    finishOnKey: z.string().regex(/^[0-9#*]{0,12}$/, 'finishOnKey must be digits, # or *').default('#').describe('Keys that end the recording (empty: only silence or the length)'),
    playBeep: z.boolean().default(true).describe('Play a beep before recording'),
    transcribe: z.boolean().default(true).describe('Transcribe the message (the tenant’s speech-to-text, else the offline recognizer)'),
    variable: z.string().regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/, 'variable must be an identifier').default('voicemail').describe('Variable that receives the transcript (empty: none)'),
  }),
  outputs: ['recorded', 'empty'],
  // Unconnected, "empty" (no message left: silence or the caller hung up) ends the call.
  optionalOutputs: ['empty'],
  templateFields: ['prompt'],
  longTextFields: ['prompt'],
  sets: (d) => variableIn(d.variable),
  summary: (d) => `up to ${String(d.maxLengthSeconds ?? 120)} s${d.variable ? ` → ${String(d.variable)}` : ''}`,
});
