import { describe, expect, it } from 'vitest';
import { applyOutputFilter, luhn, truncate } from './output-filter';

describe('output filter', () => {
  it('masks blocklisted words and phrases as whole words, ignoring case', () => {
    const out = applyOutputFilter('Our Competitor Inc is worse; competitors abound. darn it', { blocklist: ['competitor inc', 'darn'] });
    expect(out).toBe('Our ********** *** is worse; competitors abound. **** it');
  });
  it('redacts e-mails, phone numbers and Luhn-valid card numbers', () => {
    const out = applyOutputFilter('Mail ann@example.com or call +31 6 1234 5678. Card 4111 1111 1111 1111, order 4111 1111 1111 1112, ref 12345.', { redactPii: true });
    expect(out).toBe('Mail [email] or call [phone]. Card [card], order 4111 1111 1111 1112, ref 12345.');
  });
  it('does not redact when not asked to', () => {
    expect(applyOutputFilter('ann@example.com', {})).toBe('ann@example.com');
  });
  it('truncates on a word boundary with an ellipsis', () => {
    expect(truncate('The quick brown fox jumps', 16)).toBe('The quick brown…');
    expect(truncate('The quick brown fox jumps', 12)).toBe('The quick…');
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('Supercalifragilistic', 8)).toBe('Superca…');
    expect(applyOutputFilter('one two three four', { maxLength: 10 }).length).toBeLessThanOrEqual(10);
  });
  it('checks card numbers with Luhn', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
  });
});
