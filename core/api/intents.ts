/**
 * The intents API (`/v1/intents`): intents with their labelled examples, bulk import of examples
 * (CSV or JSON lines), the "try it" classification and the tenant's cross-validated accuracy; the
 * per-conversation labels and their counts (`/v1/analytics/labels`). The console infers its types from these.
 */
import { z } from 'zod';
import { text } from './common';

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];
export const LABELLED_BY = ['model', 'offline'] as const;
/** The label of a conversation no intent fits. */
export const UNKNOWN_INTENT = 'unknown';
export const MAX_EXAMPLES_PER_INTENT = 2_000;
export const MAX_IMPORT_BYTES = 2_000_000;

/** Lower-case letters, digits, `_`, `-` and `.`, as flows compare them (`conversation.intent == "card_arrival"`). */
export const intentName = text()
  .min(1, 'name must not be empty')
  .max(100, 'name must be at most 100 characters')
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'name must be lower-case letters, digits, _ . or - (starting with a letter or digit)')
  .refine((n) => n !== UNKNOWN_INTENT, { message: `name must not be "${UNKNOWN_INTENT}": it labels conversations no intent fits` });
const example = text().trim().min(1, 'examples must not be empty').max(500, 'an example must be at most 500 characters');

export const intentBody = z.object({
  name: intentName,
  description: text().max(2000, 'description must be at most 2000 characters').default(''),
  examples: z.array(example).max(MAX_EXAMPLES_PER_INTENT, `at most ${MAX_EXAMPLES_PER_INTENT} examples per intent`).default([]),
});
/** `examples`, when given, replaces the intent's examples. */
export const intentPatch = z
  .object({
    name: intentName.optional(),
    description: text().max(2000, 'description must be at most 2000 characters').optional(),
    examples: z.array(example).max(MAX_EXAMPLES_PER_INTENT, `at most ${MAX_EXAMPLES_PER_INTENT} examples per intent`).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of name, description, examples', path: ['name'] });

export const intentSummarySchema = z.object({ id: z.string(), name: z.string(), description: z.string(), exampleCount: z.number().int(), updatedAt: z.string() });
export const intentSchema = intentSummarySchema.extend({ examples: z.array(z.string()) });
export const intentList = z.object({ items: z.array(intentSummarySchema) });

/** CSV with a header naming `intent` and `text` columns, or JSON lines of `{"intent": …, "text": …}`. */
export const intentImportBody = z.object({
  format: z.enum(['csv', 'jsonl'], { message: 'format must be csv or jsonl' }),
  data: text().min(1, 'data must not be empty').max(MAX_IMPORT_BYTES, `data must be at most ${MAX_IMPORT_BYTES} characters`),
});
export const intentImportResult = z.object({ intentsCreated: z.number().int(), examplesAdded: z.number().int(), duplicates: z.number().int() });

export const classifyBody = z.object({ text: text().trim().min(1, 'text must not be empty').max(2000, 'text must be at most 2000 characters') });
export const intentScoreSchema = z.object({ intent: z.string(), confidence: z.number() });
export const classifyResult = z.object({
  /** The top intent, or `unknown` below the confidence threshold (or without two intents to tell apart). */
  intent: z.string(),
  confidence: z.number().nullable(),
  top: z.array(intentScoreSchema),
  threshold: z.number(),
  sentiment: z.enum(SENTIMENTS),
  sentimentScore: z.number(),
});
export const intentEvaluation = z.object({
  intents: z.number().int(),
  examples: z.number().int(),
  /** Stratified 5-fold accuracy of the offline classifier on the tenant's examples; null with too few. */
  accuracy: z.number().nullable(),
  evaluated: z.number().int(),
  folds: z.number().int(),
});

export const conversationLabelsSchema = z.object({
  intent: z.string(),
  intentConfidence: z.number().nullable(),
  sentiment: z.enum(SENTIMENTS),
  sentimentScore: z.number(),
  labelledBy: z.enum(LABELLED_BY),
  labelledAt: z.string(),
});

const date = (field: string) => text().regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be YYYY-MM-DD`);
export const labelCountsQuery = z
  .object({ from: date('from').optional(), to: date('to').optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 365 * 86_400_000, { message: 'the range may span 366 days at most', path: ['to'] });
export const labelCounts = z.object({
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  intents: z.array(z.object({ intent: z.string(), conversations: z.number().int() })),
  sentiments: z.array(z.object({ sentiment: z.enum(SENTIMENTS), conversations: z.number().int() })),
});
