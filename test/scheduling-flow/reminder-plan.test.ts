/** Reminder instants in the contact's timezone, quiet hours, DST days, settings precedence and the "C / R" answers. */
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { awaitsAnswer } from '../../activities/scheduling/replies';
import { appointmentSettingsFor, couldBeAwaitedReply, isAwaitedReply, parseChoice, parseReminderAnswer, planReminders, DEFAULT_APPOINTMENT_SETTINGS } from '../../core/appointments';
import { noticeText } from '../../core/appointment-messages';

const plan = (startsAt: string, timezone: string, now = '2026-01-01T00:00:00Z', settings = DEFAULT_APPOINTMENT_SETTINGS) => planReminders({ startsAt, now, timezone, settings });

describe('reminder plan', () => {
  it('reminds 24 h and 2 h before by default', () => {
    expect(plan('2026-03-10T15:00:00Z', 'Europe/Berlin')).toEqual([
      { name: 'reminder-24h', at: '2026-03-09T15:00:00.000Z' },
      { name: 'reminder-2h', at: '2026-03-10T13:00:00.000Z' },
    ]);
  });

  it('moves a reminder out of quiet hours to the evening before, in the contact timezone', () => {
    // 09:00 in Berlin (08:00Z): 2 h before is 07:00 local, quiet → 20:59 local the evening before.
    const [day, early] = plan('2026-03-10T08:00:00Z', 'Europe/Berlin');
    expect(day).toEqual({ name: 'reminder-24h', at: '2026-03-09T08:00:00.000Z' });
    expect(early).toEqual({ name: 'reminder-2h', at: '2026-03-09T19:59:00.000Z' });
    // The same instant for a contact in New York (04:00 EDT): both reminders fall at night there.
    expect(plan('2026-03-10T08:00:00Z', 'America/New_York').map((r) => r.at)).toEqual(['2026-03-09T00:59:00.000Z', '2026-03-10T00:59:00.000Z']);
  });

  it('keeps 24 h as wall-clock hours across the spring-forward night', () => {
    // Europe/Berlin springs forward on 2026-03-29: 24 h before 10:00Z on the 29th is 10:00Z on the 28th.
    expect(plan('2026-03-29T10:00:00Z', 'Europe/Berlin')[0].at).toBe('2026-03-28T10:00:00.000Z');
    // Quiet hours are read in local time on both sides of the change: 07:30 local on the 29th (CEST) → 20:59 CET the 28th.
    const [, early] = plan('2026-03-29T07:30:00Z', 'Europe/Berlin');
    expect(early.at).toBe('2026-03-28T19:59:00.000Z');
  });

  it('drops reminders already past and merges two landing on one minute', () => {
    expect(plan('2026-03-10T15:00:00Z', 'UTC', '2026-03-10T10:00:00Z')).toEqual([{ name: 'reminder-2h', at: '2026-03-10T13:00:00.000Z' }]);
    const quietBoth = { ...DEFAULT_APPOINTMENT_SETTINGS, remindersBeforeMinutes: [600, 540] };
    // 06:00 UTC start: 20:00 and 21:00 the evening before; the second is quiet and moves to 20:59.
    expect(plan('2026-03-10T06:00:00Z', 'UTC', undefined, quietBoth).map((r) => r.at)).toEqual(['2026-03-09T20:00:00.000Z', '2026-03-09T20:59:00.000Z']);
  });

  it('reads settings per service over the tenant over the defaults', () => {
    const s = appointmentSettingsFor({ remindersBeforeMinutes: [60], quietHours: null, services: { svc: { followUpAfterMinutes: 0 } } }, 'svc');
    expect(s).toMatchObject({ remindersBeforeMinutes: [60], quietHours: null, followUpAfterMinutes: 0, markWindowMinutes: DEFAULT_APPOINTMENT_SETTINGS.markWindowMinutes });
    expect(appointmentSettingsFor(undefined, 'x')).toEqual(DEFAULT_APPOINTMENT_SETTINGS);
  });
});

describe('reminder answers', () => {
  it('reads C / R and numbered choices, and nothing else', () => {
    expect(parseReminderAnswer(' C ')).toBe('confirm');
    expect(parseReminderAnswer('yes!')).toBe('confirm');
    expect(parseReminderAnswer('r')).toBe('reschedule');
    expect(parseReminderAnswer('can I come later?')).toBeNull();
    expect(parseChoice('2.', 3)).toBe(2);
    expect(parseChoice('#3', 3)).toBe(3);
    expect(parseChoice('4', 3)).toBeNull();
    expect(isAwaitedReply({ expects: 'answer' }, 'what are your hours?')).toBe(false);
    expect(isAwaitedReply({ expects: 'choice', choices: 2 }, '1')).toBe(true);
  });

  it('reads the published pointer only for a text some appointment could wait for', async () => {
    const texts = ['C', ' confirm! ', 'Yes.', 'r', 'move', '2', '#12', '3)', '99', '100', 'question 5', 'what are your hours?', 'c c', ''];
    const waits = [{ expects: 'answer' as const }, ...[1, 3, 12, 99].map((choices) => ({ expects: 'choice' as const, choices }))];
    for (const text of texts) {
      const answers = waits.some((awaited) => isAwaitedReply(awaited, text));
      if (answers) expect(couldBeAwaitedReply(text), text).toBe(true);
      let reads = 0;
      const redis = { get: async () => (reads++, JSON.stringify({ workflowId: 'appt', awaited: { expects: 'choice', choices: 99 } })) } as unknown as Redis;
      const awaited = await awaitsAnswer(redis, 't', 'c', text);
      expect(reads, text).toBe(couldBeAwaitedReply(text) ? 1 : 0);
      expect(awaited, text).toBe(isAwaitedReply({ expects: 'choice', choices: 99 }, text));
    }
    expect(['question 5', 'what are your hours?', '100'].map(couldBeAwaitedReply)).toEqual([false, false, false]);
  });

  it('writes the time in the contact timezone and asks only when unconfirmed', () => {
    const facts = { serviceName: 'Haircut', startsAt: '2026-03-10T15:00:00Z', timezone: 'America/New_York' };
    expect(noticeText('reminder', facts, { ask: true })).toMatch(/Haircut on Tuesday, March 10 at 11:00\sAM EDT\. Reply C to confirm or R to reschedule\./);
    expect(noticeText('reminder', facts)).not.toMatch(/Reply C/);
    expect(noticeText('offer', facts, { slots: ['2026-03-11T14:00:00Z', '2026-03-11T15:00:00Z'] })).toMatch(/1\. Wednesday, March 11 at 10:00\sAM EDT\n2\. /);
  });
});
