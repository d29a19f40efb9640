import { describe, expect, it } from 'vitest';
import { fitName, lastPathSegment, MalformedUrlPathError } from './names';

describe('document names', () => {
  it('keeps short names and shortens long ones to the limit with their extension', () => {
    expect(fitName('  menu.pdf ')).toBe('menu.pdf');
    expect(fitName(`${'a'.repeat(300)}.docx`, 20)).toBe(`${'a'.repeat(14)}….docx`);
    expect(fitName('x'.repeat(30), 10)).toBe(`${'x'.repeat(9)}…`);
    // A dot far from the end is not an extension.
    expect(fitName(`v1.${'b'.repeat(40)}`, 10)).toBe('v1.bbbbbb…');
    expect([...fitName('😀'.repeat(50), 10)]).toHaveLength(10);
  });

  it('decodes the last path segment and names a malformed one', () => {
    expect(lastPathSegment(new URL('https://x.test/docs/caf%C3%A9%20menu.pdf'))).toBe('café menu.pdf');
    expect(lastPathSegment(new URL('https://x.test/docs/'))).toBe('docs');
    expect(lastPathSegment(new URL('https://x.test/'))).toBe('');
    expect(() => lastPathSegment(new URL('https://x.test/100%.pdf'))).toThrow(MalformedUrlPathError);
  });
});
