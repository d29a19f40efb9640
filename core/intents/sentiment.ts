/**
 * Offline sentiment: the AFINN-165 lexicon (`sentiment`, with its negation handling), scored as its
 * comparative value (word scores summed, divided by the word count) with ±0.05 cut-offs. It read the
 * hand-labelled chat messages of bench/sentiment-fixture.ts better than VADER (ARCHITECTURE.md,
 * "Intents and sentiment"). A conversation's sentiment is the mean of its contact messages'
 * scores, the last counted twice: how a conversation ends says more than how it began.
 */
import Sentiment from 'sentiment';
import type { Sentiment as SentimentName } from '../api/intents';

export const SENTIMENT_THRESHOLD = 0.05;

export interface SentimentLabel {
  sentiment: SentimentName;
  /** −1 (most negative) … 1 (most positive). */
  score: number;
}

const afinn = new Sentiment();

export const sentimentOf = (score: number): SentimentName => (score >= SENTIMENT_THRESHOLD ? 'positive' : score <= -SENTIMENT_THRESHOLD ? 'negative' : 'neutral');

/** AFINN words score −5…5, so a comparative score lies in −5…5: scaled and clamped to −1…1. */
const scoreOf = (text: string) => Math.max(-1, Math.min(1, afinn.analyze(text).comparative / 2));
const round = (n: number) => Math.round(n * 1000) / 1000;

export function messageSentiment(text: string): SentimentLabel {
  const score = scoreOf(text);
  return { sentiment: sentimentOf(score), score: round(score) };
}

export function conversationSentiment(texts: string[]): SentimentLabel {
  if (texts.length === 0) return { sentiment: 'neutral', score: 0 };
  const scores = texts.map(scoreOf);
  const score = (scores.reduce((a, b) => a + b, 0) + scores.at(-1)!) / (scores.length + 1);
  return { sentiment: sentimentOf(score), score: round(score) };
}
