/**
 * Catastrophic backtracking at every site where a tenant's (or a contact's) pattern meets text.
 * On V8's backtracking engine `^(a+)+$` against 30 "a"s and a "b" takes seconds; on RE2 it is
 * linear, so each case here must finish in well under a second.
 */
import { describe, expect, it } from 'vitest';
import { validateAnswer } from '../../core/answers';
import { checkExpression, evaluateBoolean } from '../../core/expressions';
import { validateGraph } from '../../core/graph/validate';
import { containsHandoffKeyword } from '../../core/handoff';
import { applyOutputFilter } from '../../core/output-filter';
import { PATTERN_INPUT_MAX } from '../../core/regex';

const EVIL = '^(a+)+$';
const attack = (n: number) => `${'a'.repeat(n)}b`;

function timed<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

describe('ask patterns', () => {
  it('reject a long near-match of a catastrophic pattern at once', () => {
    const { value, ms } = timed(() => validateAnswer(attack(40), { pattern: EVIL }));
    expect(value.ok).toBe(false);
    expect(ms).toBeLessThan(500);
    expect(validateAnswer('a'.repeat(40), { pattern: EVIL }).ok).toBe(true);
  });

  it('keep validating ordinary patterns as before', () => {
    expect(validateAnswer('AB1234', { pattern: '^[A-Z]{2}\\d{4}$' })).toEqual({ ok: true, value: 'AB1234' });
    expect(validateAnswer('ab1234', { pattern: '^[A-Z]{2}\\d{4}$' }).ok).toBe(false);
  });

  it('never give the pattern more than the input cap', () => {
    expect(validateAnswer('a'.repeat(PATTERN_INPUT_MAX + 1), { pattern: 'a' }).ok).toBe(false);
    expect(validateAnswer('a'.repeat(PATTERN_INPUT_MAX), { pattern: 'a' }).ok).toBe(true);
  });
});

describe('~= in expressions', () => {
  it('matches on a linear-time engine', () => {
    const { value, ms } = timed(() => evaluateBoolean(`answer ~= "${EVIL}"`, { answer: attack(40) }));
    expect(value).toBe(false);
    expect(ms).toBeLessThan(500);
    expect(evaluateBoolean('code ~= "^A\\\\d+$"', { code: 'A12' })).toBe(true);
  });

  it('runs a pattern held in a variable on the same engine, and refuses what RE2 cannot run', () => {
    const { value, ms } = timed(() => evaluateBoolean('answer ~= rule', { answer: attack(40), rule: EVIL }));
    expect(value).toBe(false);
    expect(ms).toBeLessThan(500);
    expect(() => evaluateBoolean('answer ~= rule', { answer: 'aa', rule: '(a)\\1' })).toThrow(/not a supported regular expression/);
  });

  it('refuses a literal pattern RE2 cannot compile when the expression is checked', () => {
    expect(checkExpression('answer ~= "(?=a)b"')).toMatch(/not a supported regular expression/);
    expect(checkExpression(`answer ~= "${EVIL}"`)).toBeNull();
  });
});

describe('handoff keywords and blocklists', () => {
  const spaced = `${'agent '.repeat(2000)}x`;
  it('match whole words in linear time', () => {
    const { value, ms } = timed(() => containsHandoffKeyword(`${'a '.repeat(20000)}`, ['a  a  a  a  a  a  a  a  b']));
    expect(value).toBe(false);
    expect(ms).toBeLessThan(500);
    expect(containsHandoffKeyword('I want an AGENT now', ['agent'])).toBe(true);
    expect(containsHandoffKeyword('Ich brauche eine Agentur', ['agent'])).toBe(false);
    expect(containsHandoffKeyword('talk to\u00a0a   human please', ['talk to a human'])).toBe(true);
    expect(containsHandoffKeyword('(a+)+ is my question', ['(a+)+'])).toBe(true);
  });

  it('look for handoff keywords in the first PATTERN_INPUT_MAX characters only', () => {
    const long = 'x '.repeat(500_000);
    const { value, ms } = timed(() => containsHandoffKeyword(`${long}agent`, ['agent']));
    expect(value).toBe(false);
    expect(ms).toBeLessThan(100);
    expect(containsHandoffKeyword(`agent ${long}`, ['agent'])).toBe(true);
  });

  it('mask every occurrence, including adjacent ones', () => {
    const { value, ms } = timed(() => applyOutputFilter(spaced, { blocklist: ['agent', 'darn it'] }));
    expect(ms).toBeLessThan(1000);
    expect(value).toBe(`${'***** '.repeat(2000)}x`);
    expect(applyOutputFilter('Darn it, darn-it! darnit', { blocklist: ['darn it', 'darn'] })).toBe('**** **, ****-it! darnit');
  });
});

describe('validation at publish', () => {
  const graph = (pattern: string, expression = 'true') => ({
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'code', type: 'ask', data: { prompt: 'Your code?', variable: 'code', pattern } },
      { id: 'check', type: 'condition', data: { expression } },
      { id: 'end', type: 'end', data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'code' },
      { id: 'e2', source: 'code', target: 'check' },
      { id: 'e3', source: 'check', target: 'end', sourceHandle: 'true' },
      { id: 'e4', source: 'check', target: 'end', sourceHandle: 'false' },
    ],
  });

  it('names the node and the field of a pattern RE2 cannot compile', () => {
    const result = validateGraph(graph('^(\\w+)\\1$'));
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ nodeId: 'code', field: 'pattern', message: expect.stringMatching(/not a supported regular expression/) }));
    expect(validateGraph(graph('(?<=x)y')).errors[0]).toMatchObject({ nodeId: 'code', field: 'pattern' });
  });

  it('names the condition whose ~= pattern RE2 cannot compile', () => {
    const result = validateGraph(graph('^\\d+$', 'code ~= "(?!0)\\\\d"'));
    expect(result.errors).toEqual([expect.objectContaining({ nodeId: 'check', field: 'expression', message: expect.stringMatching(/not a supported regular expression/) })]);
  });

  it('accepts a catastrophic pattern, which RE2 runs in linear time', () => {
    expect(validateGraph(graph(EVIL, `code ~= "${EVIL}"`)).errors).toEqual([]);
  });
});

describe('PII redaction of model output (which a contact can steer)', () => {
  it('is linear in a long run of word characters before an "@"', () => {
    const text = `${'a'.repeat(30_000)}@${'a.'.repeat(30_000)}`;
    const { ms } = timed(() => applyOutputFilter(text, { redactPii: true }));
    expect(ms).toBeLessThan(1000);
    expect(applyOutputFilter('Write to jörg.müller@exämple.de or a.b+c@x.io', { redactPii: true })).toBe('Write to [email] or [email]');
  });
});
