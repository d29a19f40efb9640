/**
 * The appointment workflow's own vocabulary, free of date libraries so the workflow bundle stays
 * small and replay never depends on timezone data: statuses, and how a contact's answer to a
 * reminder is read. Reminder planning (luxon) is in core/appointments.ts, used by the activities.
 */

/** The failure type of a change refused because the slot is taken; `details[0].nextSlots` lists free ones. */
export const SLOT_TAKEN_FAILURE = 'SlotTaken';

export type AppointmentStatus = 'booked' | 'confirmed' | 'cancelled' | 'completed' | 'no_show';

/** A booking that can still change: reminders fire and updates apply only to these. */
export const isOpenStatus = (status: AppointmentStatus) => status === 'booked' || status === 'confirmed';

/** What a reminder's answer may be. */
export type ReminderAnswer = 'confirm' | 'reschedule';

const CONFIRM_WORDS = new Set(['c', 'confirm', 'confirmed', 'yes', 'y', 'ok', 'oui', 'si', 'sí', 'ja']);
const RESCHEDULE_WORDS = new Set(['r', 'reschedule', 'change', 'move']);

const normalize = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s.!?,;:()"']+/g, ' ')
    .trim();

/** "C" / "confirm" → confirm, "R" → reschedule; anything else is not an answer (the flow gets it). */
export function parseReminderAnswer(text: string): ReminderAnswer | null {
  const t = normalize(text);
  if (CONFIRM_WORDS.has(t)) return 'confirm';
  if (RESCHEDULE_WORDS.has(t)) return 'reschedule';
  return null;
}

/** "2", "2.", "#2" or "2)" among `count` offered choices → 1-based choice; null otherwise. */
export function parseChoice(text: string, count: number): number | null {
  const m = /^#?(\d{1,2})$/.exec(normalize(text).replace(/\s/g, ''));
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 && n <= count ? n : null;
}

/** What the workflow waits for from the contact, published so the conversation path can hand the answer over. */
export type AwaitedReply = { expects: 'answer' } | { expects: 'choice'; choices: number };

/** Whether `text` is what the appointment is waiting for (else the conversation's flow handles it). */
export function isAwaitedReply(awaited: AwaitedReply, text: string): boolean {
  if (awaited.expects === 'answer') return parseReminderAnswer(text) !== null;
  return parseChoice(text, awaited.choices) !== null || parseReminderAnswer(text) === 'reschedule';
}

/** `parseChoice` reads at most two digits. */
const MAX_CHOICES = 99;

/**
 * Whether `text` could be what any appointment waits for: a reminder's answer or a choice. Most of
 * a conversation's messages cannot, and need no look at the published pointer (one Redis read).
 */
export function couldBeAwaitedReply(text: string): boolean {
  return parseReminderAnswer(text) !== null || parseChoice(text, MAX_CHOICES) !== null;
}
