import { describe, expect, it } from 'vitest';
import { addressFor, eligibility, keywordConfirmation, optOutKeyword } from '../../core/campaigns';

describe('optOutKeyword', () => {
  it('matches the whole message only, case, accents and punctuation folded', () => {
    for (const text of ['STOP', ' stop ', 'Stop!', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'ARRÊT', 'arret', 'Baja', 'PARAR', 'stopp', 'Abmelden', 'cancelar', 'DESCADASTRAR'])
      expect(optOutKeyword(text), text).toBe('opt_out');
    for (const text of ['START', 'unstop', 'Yes']) expect(optOutKeyword(text), text).toBe('opt_in');
    for (const text of ['stop by tomorrow', 'please cancel my booking', 'hello', '', 'STOP'.repeat(20)]) expect(optOutKeyword(text), text).toBeNull();
  });

  it("confirms in the contact's language, else the keyword's, else English", () => {
    expect(keywordConfirmation('opt_out', 'fr-CA')).toMatch(/désabonné/);
    expect(keywordConfirmation('opt_out', null, 'BAJA')).toMatch(/dado de baja/);
    expect(keywordConfirmation('opt_out', null, 'STOP')).toMatch(/You're unsubscribed/);
    expect(keywordConfirmation('opt_in', 'xx')).toMatch(/subscribed again/);
  });
});

describe('eligibility', () => {
  const row = { phone: '+14155550101', email: null, messengerPsid: null, consent: {} };
  it('says opted_out before no_address before no_consent', () => {
    expect(eligibility({ ...row, email: null, consent: { email: 'opted_out' } }, 'email')).toEqual({ ok: false, reason: 'opted_out' });
    expect(eligibility({ ...row, consent: { email: 'opted_in' } }, 'email')).toEqual({ ok: false, reason: 'no_address' });
    expect(eligibility(row, 'sms')).toEqual({ ok: false, reason: 'no_consent' });
    expect(eligibility({ ...row, consent: { whatsapp: 'opted_in' } }, 'whatsapp')).toEqual({ ok: true, address: '+14155550101' });
    expect(addressFor({ ...row, messengerPsid: '  ' }, 'messenger')).toBeNull();
  });
});
