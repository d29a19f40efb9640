import { describe, expect, it } from 'vitest';
import { idf, MAX_QUERY_TERMS, planTerms } from './bm25';

const term = (t: string, df: number, qtf = 1) => ({ term: t, df, qtf });

describe('planTerms', () => {
  it('matches on the rarest terms within the row budget and scores every term by IDF', () => {
    const plan = planTerms([term('cell', 2700), term('lymphocyt', 12), term('vitamin', 90), term('prolifer', 40)], 6000, 800_000, 200)!;
    expect(plan.match).toEqual(['lymphocyt', 'prolifer', 'vitamin']);
    expect(plan.terms).toEqual(['lymphocyt', 'prolifer', 'vitamin', 'cell']);
    expect(plan.weights[0]).toBeCloseTo(idf(6000, 12), 10);
    expect(plan.weights[0]).toBeGreaterThan(plan.weights[3]);
    expect(plan.avgLength).toBeCloseTo(800_000 / 6000, 10);
  });

  it('always matches the rarest term, however common, and weighs repeated query words', () => {
    const plan = planTerms([term('clinic', 5000, 2), term('hour', 4000)], 6000, 600_000, 200)!;
    expect(plan.match).toEqual(['hour']);
    expect(plan.weights).toEqual([idf(6000, 4000), 2 * idf(6000, 5000)]);
  });

  it('drops words no chunk holds, caps the terms of a long query, and plans nothing when nothing can match', () => {
    const many = Array.from({ length: 100 }, (_, i) => term(`w${i}`, i));
    const plan = planTerms(many, 1000, 100_000)!;
    expect(plan.terms).toHaveLength(MAX_QUERY_TERMS);
    expect(plan.terms).not.toContain('w0');
    expect(planTerms([term('absent', 0)], 1000, 100_000)).toBeNull();
    expect(planTerms([], 1000, 100_000)).toBeNull();
  });

  it('keeps IDF positive even for a term in every chunk', () => {
    expect(idf(100, 100)).toBeGreaterThan(0);
    expect(idf(100, 1)).toBeGreaterThan(idf(100, 50));
  });
});
