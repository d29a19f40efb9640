import { describe, expect, it } from 'vitest';
import { validateAnswer } from './answers';

describe('ask answers', () => {
  it('accepts text and rejects empty answers', () => {
    expect(validateAnswer('  Ada ', { inputType: 'text' })).toEqual({ ok: true, value: 'Ada' });
    expect(validateAnswer('   ', {}).ok).toBe(false);
  });
  it('parses numbers, with a decimal comma', () => {
    expect(validateAnswer('42', { inputType: 'number' })).toEqual({ ok: true, value: 42 });
    expect(validateAnswer('3,5', { inputType: 'number' })).toEqual({ ok: true, value: 3.5 });
    expect(validateAnswer('forty', { inputType: 'number' })).toEqual({ ok: false, reason: 'Please answer with a number.' });
  });
  it('validates e-mails and phone numbers', () => {
    expect(validateAnswer('Ann@Example.com', { inputType: 'email' })).toEqual({ ok: true, value: 'ann@example.com' });
    expect(validateAnswer('ann@', { inputType: 'email' }).ok).toBe(false);
    expect(validateAnswer('+31 (6) 1234-5678', { inputType: 'phone' })).toEqual({ ok: true, value: '+31612345678' });
    expect(validateAnswer('12', { inputType: 'phone' }).ok).toBe(false);
  });
  it('maps yes/no words to booleans', () => {
    for (const yes of ['yes', 'Y', 'yeah!', 'Sure']) expect(validateAnswer(yes, { inputType: 'yesno' })).toEqual({ ok: true, value: true });
    for (const no of ['no', 'N', 'nope', 'Nah.']) expect(validateAnswer(no, { inputType: 'yesno' })).toEqual({ ok: true, value: false });
    expect(validateAnswer('maybe', { inputType: 'yesno' }).ok).toBe(false);
  });
  it('matches choices case-insensitively or by 1-based index', () => {
    const rules = { inputType: 'choice' as const, choices: ['Sales', 'Support'] };
    expect(validateAnswer('support', rules)).toEqual({ ok: true, value: 'Support' });
    expect(validateAnswer('1', rules)).toEqual({ ok: true, value: 'Sales' });
    const bad = validateAnswer('3', rules);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toContain('2. Support');
  });
  it('applies an optional pattern', () => {
    expect(validateAnswer('AB-123', { pattern: '^[A-Z]{2}-\\d+$' }).ok).toBe(true);
    expect(validateAnswer('ab123', { pattern: '^[A-Z]{2}-\\d+$' }).ok).toBe(false);
  });
});
