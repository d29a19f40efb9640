import { describe, expect, it } from 'vitest';
import { addressesMatch, normalizeAddress, normalizeName, normalizePhone } from '../../presence/providers/nap';
import { fromSchemaOrg, hoursDifferences } from '../../presence/providers/hours';

describe('phone', () => {
  it.each([
    ['(217) 555-0142', 'US', '+12175550142'],
    ['+1 217-555-0142', 'US', '+12175550142'],
    ['217.555.0142', 'US', '+12175550142'],
    ['020 7946 0018', 'GB', '+442079460018'],
    ['+44 20 7946 0018', 'US', '+442079460018'],
    ['01 42 68 53 00', 'FR', '+33142685300'],
  ])('%s in %s → %s', (raw, cc, e164) => expect(normalizePhone(raw, cc)).toBe(e164));

  it('something that is not a number is null', () => {
    expect(normalizePhone('call us', 'US')).toBeNull();
    expect(normalizePhone(undefined)).toBeNull();
  });
});

describe('address', () => {
  it.each([
    ['123 Main Street, Springfield, Illinois 62701, USA', '123 Main St., Springfield, IL 62701'],
    ['123 Main St, Springfield, IL 62701, USA', '123 Main Street, Springfield, IL 62701'],
    ['45 North Broadway Avenue Suite 4', '45 N Broadway Ave #4'],
    ['1 Café Plaza, New York, NY', '1 Cafe Plz, New York, New York'],
  ])('%s ≡ %s', (a, b) => expect(addressesMatch(a, b)).toBe(true));

  it.each([
    ['123 Main St, Springfield, IL 62701', '125 Main St, Springfield, IL 62701'],
    ['123 Main St, Springfield, IL 62701', '123 Oak Ave, Springfield, IL 62701'],
    ['123 Main St, Springfield, IL 62701', '123 Main St, Springfield, IL 62704'],
  ])('%s ≠ %s', (a, b) => expect(addressesMatch(a, b)).toBe(false));

  it('is unknown when one side is missing, and normalizes to the short forms', () => {
    expect(addressesMatch('1 Main St', undefined)).toBeNull();
    expect(normalizeAddress('10 West Elm Street, Unit 5')).toBe('10 w elm st #5');
  });
});

describe('name', () => {
  it('ignores case, accents, punctuation, & / and, a leading The', () => {
    expect(normalizeName('The Café & Bar')).toBe(normalizeName('cafe and bar'));
    expect(normalizeName("Joe's Diner")).toBe(normalizeName('Joes Diner'));
    expect(normalizeName('Sole Trattoria')).not.toBe(normalizeName('Trattoria Sole'));
  });
});

describe('schema.org hours', () => {
  it('reads openingHoursSpecification with schema.org day URLs and arrays', () => {
    const week = fromSchemaOrg(
      [
        { '@type': 'OpeningHoursSpecification', dayOfWeek: ['https://schema.org/Monday', 'Tuesday', 'Wednesday', 'Thursday'], opens: '11:00', closes: '22:00' },
        { dayOfWeek: 'Friday', opens: '11:00:00', closes: '23:00:00' },
        { dayOfWeek: 'Saturday', opens: '12:00', closes: '24:00' },
      ],
      undefined,
    )!;
    expect(week).toEqual([['11:00-22:00'], ['11:00-22:00'], ['11:00-22:00'], ['11:00-22:00'], ['11:00-23:00'], ['12:00-00:00'], []]);
  });

  it('reads openingHours text, wrapping ranges and whole days', () => {
    expect(fromSchemaOrg(undefined, ['Mo-Fr 09:00-17:00', 'Sa 10:00-14:00'])![4]).toEqual(['09:00-17:00']);
    expect(fromSchemaOrg(undefined, 'Fr-Mo 18:00-02:00')!.map((d) => d.length)).toEqual([1, 0, 0, 0, 1, 1, 1]);
    expect(fromSchemaOrg(undefined, 'Mo-Su')![3]).toEqual(['00:00-24:00']);
    expect(fromSchemaOrg(undefined, undefined)).toBeNull();
  });

  it('names the days that differ', () => {
    const a = fromSchemaOrg(undefined, 'Mo-Fr 09:00-17:00')!;
    const b = fromSchemaOrg(undefined, ['Mo-Th 09:00-17:00', 'Fr 09:00-18:00'])!;
    expect(hoursDifferences(a, b)).toEqual([{ day: 'Friday', a: '09:00-17:00', b: '09:00-18:00' }]);
  });
});
