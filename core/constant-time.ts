/**
 * Compares a secret someone presented (a signature, a token, a password) with the expected one in
 * time that does not depend on where they differ, so the comparison leaks nothing to a caller who
 * times it. Lengths may differ: that alone is not secret (the format fixes it).
 */
import { timingSafeEqual } from 'node:crypto';

export function constantTimeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  const a = typeof given === 'string' ? Buffer.from(given) : given;
  const b = typeof expected === 'string' ? Buffer.from(expected) : expected;
  return a.length === b.length && timingSafeEqual(a, b);
}
