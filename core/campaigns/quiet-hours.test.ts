import { describe, expect, it } from 'vitest';
import { quietUntil, quietWindowFor } from './quiet-hours';

describe('quiet hours', () => {
  const quiet = { start: '21:00', end: '08:00', channels: { sms: { start: '20:00', end: '09:00' } } };

  it("takes a channel's own window where it has one, else the campaign's", () => {
    expect(quietWindowFor(quiet, 'sms')).toEqual({ start: '20:00', end: '09:00' });
    expect(quietWindowFor(quiet, 'email')).toEqual(quiet);
  });

  it('holds a recipient inside the window until it ends, in their zone, across midnight', () => {
    // 20:30 in Berlin (19:30 UTC in January): inside SMS's 20:00–09:00, outside the campaign's 21:00–08:00.
    const now = new Date('2027-01-08T19:30:00Z');
    expect(quietUntil(now, 'Europe/Berlin', quietWindowFor(quiet, 'sms'))?.toISOString()).toBe('2027-01-09T08:00:00.000Z');
    expect(quietUntil(now, 'Europe/Berlin', quietWindowFor(quiet, 'email'))).toBeNull();
  });
});
