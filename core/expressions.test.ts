import { describe, expect, it } from 'vitest';
import { checkExpression, evaluate, evaluateBoolean, ExpressionError } from './expressions';

describe('expressions', () => {
  it('evaluates comparisons, booleans and dotted paths', () => {
    expect(evaluateBoolean('age >= 18 and country == "NL"', { age: 20, country: 'NL' })).toBe(true);
    expect(evaluateBoolean('order.total > 100', { order: { total: 150 } })).toBe(true);
    expect(evaluateBoolean('subscribed == true', { subscribed: true })).toBe(true);
    expect(evaluate('price * qty', { price: 2.5, qty: 4 })).toBe(10);
  });

  it('treats missing variables as null instead of failing', () => {
    expect(evaluateBoolean('missing == 1', {})).toBe(false);
    expect(evaluateBoolean('not exists(missing)', {})).toBe(true);
    expect(evaluateBoolean('a.b.c == 1', { a: 1 })).toBe(false);
  });

  it('offers string helpers', () => {
    expect(evaluateBoolean('lower(name) == "ada"', { name: 'ADA' })).toBe(true);
    expect(evaluate('upper(name)', { name: 'ada' })).toBe('ADA');
    expect(evaluateBoolean('contains(message, "refund")', { message: 'I want a REFUND' })).toBe(true);
    expect(evaluate('len(name)', { name: 'ada' })).toBe(3);
    expect(evaluate('number(amount) + 1', { amount: '2,5' })).toBe(3.5);
    expect(evaluateBoolean('plan in ("pro", "team")', { plan: 'team' })).toBe(true);
  });

  it('does not reach into prototypes', () => {
    expect(evaluate('constructor', {})).toBe(null);
    expect(evaluate('toString', { a: 1 })).toBe(null);
  });

  it('reports syntax errors and unknown functions', () => {
    expect(checkExpression('age >= 18')).toBeNull();
    expect(checkExpression('age ==== 18')).toMatch(/cannot read expression/);
    expect(checkExpression('shout(name)')).toMatch(/unknown function "shout"/);
    expect(() => evaluate('a ==== b', {})).toThrow(ExpressionError);
  });
});
