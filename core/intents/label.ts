/**
 * From a conversation's contact messages to its offline labels: the intent of the first few
 * messages (where a contact says what they want; later ones are answers and thanks), or `unknown`
 * below the confidence threshold, and the sentiment of all of them (sentiment.ts).
 */
import { UNKNOWN_INTENT } from '../api/intents';
import type { IntentModel, IntentScore } from './classifier';
import { conversationSentiment, type SentimentLabel } from './sentiment';

/**
 * Below this top-intent probability a text is `unknown`. Chosen on CLINC150's validation split
 * (in-scope accuracy + out-of-scope recall, bench/intents.ts); INTENT_CONFIDENCE_THRESHOLD overrides.
 */
export const DEFAULT_INTENT_THRESHOLD = 0.3;
/** Contact messages read for the intent. */
export const INTENT_MESSAGES = 3;

export interface IntentLabel {
  intent: string;
  confidence: number | null;
  top: IntentScore[];
}

/** `model` is null when the tenant has fewer than two intents with examples: everything is `unknown`. */
export function intentOf(model: IntentModel | null, text: string, threshold: number): IntentLabel {
  const top = model && text.trim() ? model.classify(text, 3) : [];
  const best = top[0];
  if (!best || best.confidence < threshold) return { intent: UNKNOWN_INTENT, confidence: best?.confidence ?? null, top };
  return { intent: best.intent, confidence: best.confidence, top };
}

export function offlineLabels(model: IntentModel | null, contactTexts: string[], threshold: number): { intent: IntentLabel; sentiment: SentimentLabel } {
  return {
    intent: intentOf(model, contactTexts.slice(0, INTENT_MESSAGES).join('\n'), threshold),
    sentiment: conversationSentiment(contactTexts),
  };
}
