/**
 * The texts the `appointment` workflow sends the contact and the staff, composed in one place so
 * every channel (WhatsApp, SMS, email, web chat) says the same thing. Times are written in the
 * contact's timezone; a reminder ends with the "reply C or R" question only while the booking is
 * unconfirmed.
 */
import { formatWhen } from './appointments';

export type AppointmentNoticeKind = 'confirmation' | 'reminder' | 'confirmed' | 'offer' | 'noSlots' | 'slotTaken' | 'rescheduled' | 'cancelled' | 'answerHelp' | 'followUp';

/** What a notice is about: read from the booking by the activity, never carried through history. */
export interface NoticeFacts {
  serviceName: string;
  startsAt: string;
  timezone: string;
  locale?: string;
  customerName?: string | null;
  reviewUrl?: string | null;
}

export interface NoticeExtras {
  /** Offered slots' start instants (for `offer` / `slotTaken`). */
  slots?: string[];
  /** The reminder asks "reply C or R" (the booking is not confirmed yet). */
  ask?: boolean;
}

/** A numbered list, one slot per line: SMS and every channel can answer it with a digit. */
export function numberedSlots(slots: string[], timezone: string, locale?: string): string {
  return slots.map((s, i) => `${i + 1}. ${formatWhen(s, timezone, locale)}`).join('\n');
}

export function noticeText(kind: AppointmentNoticeKind, f: NoticeFacts, extras: NoticeExtras = {}): string {
  const when = formatWhen(f.startsAt, f.timezone, f.locale);
  const hello = f.customerName ? `Hi ${f.customerName}, ` : '';
  switch (kind) {
    case 'confirmation':
      return `${hello}your ${f.serviceName} is booked for ${when}.`;
    case 'reminder':
      return `Reminder: ${f.serviceName} on ${when}.${extras.ask ? ' Reply C to confirm or R to reschedule.' : ''}`;
    case 'confirmed':
      return `Thank you, your ${f.serviceName} on ${when} is confirmed.`;
    case 'offer':
      return `Which time suits you? Reply with its number:\n${numberedSlots(extras.slots ?? [], f.timezone, f.locale)}`;
    case 'slotTaken':
      return `Sorry, that time was just taken. Reply with the number of another one:\n${numberedSlots(extras.slots ?? [], f.timezone, f.locale)}`;
    case 'noSlots':
      return `Sorry, there is no free time to move your ${f.serviceName} to. Your booking on ${when} stays as it is.`;
    case 'rescheduled':
      return `Your ${f.serviceName} is now on ${when}.`;
    case 'cancelled':
      return `Your ${f.serviceName} on ${when} is cancelled.`;
    case 'answerHelp':
      return 'Please reply C to confirm or R to reschedule.';
    case 'followUp':
      return `Thank you for coming to your ${f.serviceName}. How was it?${f.reviewUrl ? ` We would love a review: ${f.reviewUrl}` : ' Reply with a few words, we read every answer.'}`;
  }
}

export type StaffChange = 'booked' | 'rescheduled' | 'cancelled' | 'confirmed' | 'no_show';

/** The staff member's email about a change to one of their bookings. */
export function staffNotice(change: StaffChange, f: NoticeFacts & { previousStartsAt?: string | null }): { subject: string; text: string } {
  const when = formatWhen(f.startsAt, f.timezone, 'en');
  const who = f.customerName ?? 'a customer';
  const subject = {
    booked: `New booking: ${f.serviceName}, ${when}`,
    rescheduled: `Moved: ${f.serviceName}, now ${when}`,
    cancelled: `Cancelled: ${f.serviceName}, ${when}`,
    confirmed: `Confirmed: ${f.serviceName}, ${when}`,
    no_show: `No-show: ${f.serviceName}, ${when}`,
  }[change];
  const before = change === 'rescheduled' && f.previousStartsAt ? ` (was ${formatWhen(f.previousStartsAt, f.timezone, 'en')})` : '';
  return { subject, text: `${subject}${before}\nCustomer: ${who}\n` };
}
