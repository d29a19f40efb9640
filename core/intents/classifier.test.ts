/**
 * The offline intent classifier on a small fixed example set (four intents, six examples each):
 * unseen phrasings land on the right intent, the model is reproducible, confidences are
 * probabilities, a low confidence is `unknown`, and cross-validation holds examples out per intent.
 * On the public datasets when they are readable (../shared/datasets or DATASETS_DIR): an accuracy floor on a sample.
 */
import { describe, expect, it } from 'vitest';
import { datasetAvailable, loadBanking77 } from '../../bench/intent-datasets';
import { crossValidate, trainIntentModel, type LabelledExample } from './classifier';
import { intentOf, offlineLabels } from './label';

const EXAMPLES: Record<string, string[]> = {
  card_arrival: ['my card has not arrived yet', 'when will my new card arrive', 'still waiting for my card', 'card delivery is taking too long', 'where is my debit card', 'how long until the card is delivered'],
  lost_card: ['I lost my card', 'my card was stolen', 'someone took my wallet with my card', 'block my stolen card please', 'I cannot find my card anywhere', 'report a lost card'],
  opening_hours: ['what time do you open', 'are you open on sunday', 'what are your opening hours', 'when do you close today', 'is the branch open on saturday morning', 'opening times please'],
  refund: ['I want my money back', 'how do I get a refund', 'refund my order please', 'the item was broken, I want a refund', 'return this and give me my money back', 'can I get reimbursed'],
};
const examples: LabelledExample[] = Object.entries(EXAMPLES).flatMap(([intent, texts]) => texts.map((text) => ({ text, intent })));

describe('trainIntentModel', () => {
  const model = trainIntentModel(examples);

  it('puts unseen phrasings on the right intent', () => {
    expect(model.classify('has my card been sent? it still did not arrive', 1)[0]!.intent).toBe('card_arrival');
    expect(model.classify('my wallet got stolen with the card in it', 1)[0]!.intent).toBe('lost_card');
    expect(model.classify('are you opened on sundays?', 1)[0]!.intent).toBe('opening_hours');
    expect(model.classify('I would like a refund for this broken order', 1)[0]!.intent).toBe('refund');
  });

  it('answers the top intents as probabilities, best first', () => {
    const top = model.classify('when do you open', 3);
    expect(top).toHaveLength(3);
    expect(top[0]!.confidence).toBeGreaterThan(top[1]!.confidence);
    expect(top[1]!.confidence).toBeGreaterThanOrEqual(top[2]!.confidence);
    const all = model.classify('when do you open', 10);
    expect(all).toHaveLength(4);
    expect(all.reduce((s, t) => s + t.confidence, 0)).toBeCloseTo(1, 5);
  });

  it('gives the same model for the same examples', () => {
    const again = trainIntentModel(examples);
    expect(again.classify('where is my card', 4)).toEqual(model.classify('where is my card', 4));
  });

  it('needs two intents', () => {
    expect(() => trainIntentModel(examples.filter((e) => e.intent === 'refund'))).toThrow(/at least two intents/);
  });

  it('labels a low-confidence text unknown, and a conversation by its first contact messages', () => {
    expect(intentOf(model, 'zebra quantum violin', 0.9)).toMatchObject({ intent: 'unknown' });
    expect(intentOf(null, 'anything', 0.3)).toEqual({ intent: 'unknown', confidence: null, top: [] });
    const labels = offlineLabels(model, ['hi', 'I lost my card yesterday', 'ok', 'thanks, great help!'], 0.3);
    expect(labels.intent.intent).toBe('lost_card');
    expect(labels.sentiment.sentiment).toBe('positive');
  });
});

describe('crossValidate', () => {
  it('holds out examples of every intent and scores them', () => {
    const cv = crossValidate(examples);
    expect(cv.folds).toBe(5);
    expect(cv.evaluated).toBe(examples.length);
    expect(cv.accuracy).toBeGreaterThanOrEqual(0.7);
  });

  it('trains on intents with one example without testing them', () => {
    const cv = crossValidate([...examples.filter((e) => e.intent !== 'refund'), { text: 'refund please', intent: 'refund' }]);
    expect(cv.evaluated).toBe(18);
  });
});

describe.skipIf(!datasetAvailable('banking77'))('on BANKING77 (a sample)', () => {
  it('classifies at least 80 % of a test sample right after training on a fifth of the train split', () => {
    const ds = loadBanking77();
    const model = trainIntentModel(ds.train.filter((_, i) => i % 5 === 0));
    const sample = ds.test.filter((_, i) => i % 10 === 0);
    const right = sample.filter((e) => model.classify(e.text, 1)[0]!.intent === e.intent).length;
    expect(right / sample.length).toBeGreaterThanOrEqual(0.8);
  });
});
