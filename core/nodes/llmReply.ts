import { z } from 'zod';
import { defineNode, variableIn } from './define';

export const llmToolSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'tool name must be 1-64 letters, digits, _ or -').describe('Name the model calls the tool by, e.g. lookup_order'),
  description: z.string().min(1).max(1024).describe('Tells the model what the tool does and when to use it'),
  /** JSON schema of the tool's arguments, as OpenAI expects it. */
  parameters: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }).describe('JSON schema of the arguments the model sends'),
  /** The tool is an HTTP call: arguments are sent as the JSON body. */
  url: z.string().url().describe('Endpoint that receives the arguments as a JSON body'),
  method: z.enum(['GET', 'POST']).default('POST').describe('HTTP method of the call'),
});

export const outputFilterSchema = z.object({
  blocklist: z.array(z.string().min(1)).default([]).describe('Words or phrases that are masked in the reply'),
  maxLength: z.number().int().positive().max(10_000).optional().describe('Replies longer than this many characters are cut'),
  redactPii: z.boolean().default(false).describe('Mask e-mail addresses, phone numbers and card numbers'),
});

export const llmReplyNode = defineNode({
  type: 'llmReply',
  label: 'AI reply',
  description: 'Answers with the tenant’s language model, using the recent conversation as context.',
  category: 'ai',
  data: z.object({
    systemPrompt: z.string().max(20_000).default('You are a helpful assistant.').describe('Instructions for the model: its role, what to answer and what not'),
    brandVoice: z.string().max(2000).optional().describe('Tone and style, appended to the system prompt'),
    brandVoiceId: z.string().uuid('brandVoiceId must be a brand voice id').optional().describe('A brand voice profile (tone, words to use and avoid, emoji, language) joined to the system prompt'),
    model: z.string().optional().describe('Overrides the tenant’s default model'),
    temperature: z.number().min(0).max(2).optional().describe('0 gives steady, factual answers; higher values more varied ones'),
    maxTokens: z.number().int().positive().max(32_000).optional().describe('Upper limit on the length of the answer, in tokens'),
    contextMessages: z.number().int().min(1).max(100).default(12).describe('How many recent messages the model sees'),
    tools: z.array(llmToolSchema).max(20).default([]).describe('HTTP endpoints the model may call while answering'),
    appointmentTools: z
      .boolean()
      .default(false)
      .describe('Lets the model find free times, book, reschedule and cancel the contact’s own appointments (tools find_slots, book, reschedule, cancel)'),
    allowHandoff: z.boolean().default(true).describe('Lets the model hand the conversation to a human'),
    knowledgeBaseIds: z.array(z.string().min(1)).max(20).default([]).describe('Knowledge bases the answer is grounded in'),
    retrieval: z
      .enum(['auto', 'tool'])
      .default('auto')
      .describe('auto: search with the contact’s message before answering; tool: the model searches when it decides to'),
    topK: z.number().int().min(1).max(20).optional().describe('Passages per search; overrides the knowledge base’s setting'),
    outputFilter: outputFilterSchema.optional().describe('Checks applied to the answer before it is sent'),
    saveAs: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional().describe('Also store the answer in this variable'),
  }),
  outputs: ['next', 'handoff'],
  // Unconnected, the model's handoff behaves like a Hand-off node, then continues on `next`.
  optionalOutputs: ['handoff'],
  references: { knowledgeBaseIds: 'knowledgeBase', brandVoiceId: 'brandVoice' },
  templateFields: ['systemPrompt', 'brandVoice'],
  longTextFields: ['systemPrompt', 'brandVoice'],
  sets: (d) => variableIn(d.saveAs),
});
