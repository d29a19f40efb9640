/** Offline sentiment (AFINN-165) on the hand-labelled chat messages the benchmark compares lexicons on. */
import { expect, it } from 'vitest';
import { SENTIMENT_FIXTURE } from '../../bench/sentiment-fixture';
import { conversationSentiment, messageSentiment } from './sentiment';

it('reads clear messages right, negation included', () => {
  expect(messageSentiment('Thank you so much, that fixed it!').sentiment).toBe('positive');
  expect(messageSentiment('Terrible service, I want to close my account').sentiment).toBe('negative');
  expect(messageSentiment('not happy with this at all').sentiment).toBe('negative');
  expect(messageSentiment('What is my account balance?')).toEqual({ sentiment: 'neutral', score: 0 });
});

it('labels at least 80 % of the hand-labelled fixture right', () => {
  const right = SENTIMENT_FIXTURE.filter((f) => messageSentiment(f.text).sentiment === f.sentiment).length;
  expect(right / SENTIMENT_FIXTURE.length).toBeGreaterThanOrEqual(0.8);
});

it('weighs how a conversation ends: the last message counts twice', () => {
  const ended = conversationSentiment(['this is ridiculous, my card never came', 'ok found it', 'great, thanks a lot!']);
  expect(ended.sentiment).toBe('positive');
  expect(conversationSentiment([])).toEqual({ sentiment: 'neutral', score: 0 });
  const score = conversationSentiment(['awful', 'terrible']).score;
  expect(score).toBeGreaterThanOrEqual(-1);
  expect(score).toBeLessThan(0);
});
