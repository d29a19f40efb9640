/**
 * Conversation labels by the tenant's model: the contact's messages and the tenant's intents go
 * down the provider chain (runWithFallback, recorded like every model call), the answer must be a
 * JSON object that names one of those intents (or `unknown`) and a sentiment; anything else is an
 * error, on which the caller labels offline.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { SENTIMENTS, UNKNOWN_INTENT } from '../core/api/intents';
import type { ChatMessage } from '../core/chat';
import type { CallScope, ResolvedProvider } from './providers';
import { runWithFallback } from './run';

const answer = z.object({
  intent: z.string(),
  confidence: z.number().min(0).max(1).nullable().optional(),
  sentiment: z.enum(SENTIMENTS),
  score: z.number().min(-1).max(1),
});
export type ModelLabels = { intent: string; confidence: number | null; sentiment: (typeof SENTIMENTS)[number]; score: number };

/** The labelling call's system prompt opens with this (the test fake tells labelling calls apart by it). */
export const LABELLING_PROMPT =
  'You label customer conversations. From the customer messages, pick the one intent below that best matches what the customer wants, ' +
  `or "${UNKNOWN_INTENT}" when none fits, and judge the customer's sentiment. Answer with one JSON object only, no prose: ` +
  '{"intent": "<intent name>", "confidence": <0..1>, "sentiment": "positive" | "neutral" | "negative", "score": <-1..1>}';

/** The first JSON object in a reply (models wrap it in ``` fences or a sentence despite being told not to). */
function jsonIn(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('the model answered without a JSON object');
  return JSON.parse(content.slice(start, end + 1));
}

export async function modelLabels(
  orm: MikroORM,
  scope: CallScope,
  providers: ResolvedProvider[],
  input: { intents: { name: string; description: string }[]; contactTexts: string[] },
): Promise<ModelLabels> {
  const intents = input.intents.map((i) => `- ${i.name}${i.description ? `: ${i.description}` : ''}`).join('\n') || '(none defined)';
  // The last messages say most about sentiment; 4,000 characters bound the prompt.
  const transcript = input.contactTexts.join('\n').slice(-4000);
  const messages: ChatMessage[] = [
    { role: 'system', content: `${LABELLING_PROMPT}\n\nIntents:\n${intents}` },
    { role: 'user', content: `Customer messages:\n${transcript}` },
  ];
  const { completion } = await runWithFallback(orm, scope, providers, { messages, temperature: 0, maxTokens: 120 });
  const parsed = answer.parse(jsonIn(completion.content ?? ''));
  const known = parsed.intent === UNKNOWN_INTENT || input.intents.some((i) => i.name === parsed.intent);
  if (!known) throw new Error(`the model answered an intent that is not defined: ${parsed.intent.slice(0, 100)}`);
  return { intent: parsed.intent, confidence: parsed.confidence ?? null, sentiment: parsed.sentiment, score: parsed.score };
}
