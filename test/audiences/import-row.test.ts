/** One CSV row → contact fields: header spellings, normalization, the first problem named, merging repeats. */
import { describe, expect, it } from 'vitest';
import { defaultField, importRow, mergeImported } from '../../core/campaigns/contact-import';

describe('defaultField', () => {
  it('reads common header spellings, consent columns, and keeps the rest as attributes', () => {
    expect(['E-mail', 'Mobile Phone', 'first_name', 'Surname', 'TZ', 'Customer ID', 'Labels', 'PSID'].map(defaultField)).toEqual([
      'email', 'phone', 'firstName', 'lastName', 'timezone', 'id', 'tags', 'messengerPsid',
    ]);
    expect(['SMS consent', 'whatsapp_opt_in', 'consent.email', 'attributes.visits', 'Favourite dish', ''].map(defaultField)).toEqual([
      'consent.sms', 'consent.whatsapp', 'consent.email', 'attributes.visits', 'attributes.Favourite dish', 'skip',
    ]);
  });
});

describe('importRow', () => {
  const fields = ['id', 'email', 'phone', 'tags', 'consent.sms', 'attributes.visits', 'skip'];
  it('normalizes and keys a row by its id, else its phone, email or Messenger id', () => {
    expect(importRow(['c-1', ' Ana@Example.com ', '06 12 34 56 78', 'VIP; wine|vip', 'Yes', '12', 'ignored'], fields, 1, 'FR')).toEqual({
      key: 'id:c-1', email: 'ana@example.com', phone: '+33612345678', tags: ['vip', 'wine'], consent: { sms: 'opted_in' }, attributes: { visits: '12' },
    });
    expect(importRow(['', '', '+1 415 555 0101', '', 'no', '', ''], fields, 2)).toMatchObject({ key: 'phone:+14155550101', consent: { sms: 'opted_out' } });
    expect(importRow(['', 'bo@example.com', '', '', '', '', ''], fields, 3)).toMatchObject({ key: 'email:bo@example.com' });
  });

  it('names the first bad field of the row', () => {
    expect(importRow(['c-2', 'bo@', '', '', '', '', ''], fields, 4)).toMatchObject({ row: 4, field: 'email' });
    expect(importRow(['c-3', '', '0612345678', '', '', '', ''], fields, 5)).toMatchObject({ row: 5, field: 'phone', message: expect.stringMatching(/defaultCountry/) });
    expect(importRow(['c-4', '', '', '', 'perhaps', '', ''], fields, 6)).toMatchObject({ row: 6, field: 'consent.sms' });
    expect(importRow(['', '', '', 'vip', '', '', ''], fields, 7)).toMatchObject({ row: 7, field: 'phone', message: expect.stringMatching(/no id, phone, email/) });
  });

  it('merges a contact repeated in a file: tags and attributes add up, later values win', () => {
    expect(mergeImported({ key: 'id:1', tags: ['a'], attributes: { x: '1' }, email: 'a@x.io' }, { key: 'id:1', tags: ['b'], attributes: { y: '2' }, email: 'b@x.io' })).toEqual({
      key: 'id:1', tags: ['a', 'b'], attributes: { x: '1', y: '2' }, email: 'b@x.io',
    });
  });
});
