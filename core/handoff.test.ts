import { describe, expect, it } from 'vitest';
import { containsHandoffKeyword } from './handoff';

describe('handoff keywords', () => {
  const keywords = ['human', 'agent', 'real person'];
  it('matches whole words and phrases, ignoring case', () => {
    expect(containsHandoffKeyword('Can I talk to a HUMAN?', keywords)).toBe(true);
    expect(containsHandoffKeyword('I want a real   person please', keywords)).toBe(true);
  });
  it('ignores parts of words', () => {
    expect(containsHandoffKeyword('humanity is great', keywords)).toBe(false);
    expect(containsHandoffKeyword('call my agentur', keywords)).toBe(false);
    expect(containsHandoffKeyword('anything', [])).toBe(false);
  });
});
