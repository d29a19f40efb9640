/**
 * Quiet hours of a campaign ('21:00'–'08:00', may wrap midnight; per channel where set), in the recipient's timezone:
 * a recipient whose local time is inside the window waits until it ends. Pure (luxon).
 */
import { DateTime } from 'luxon';
import type { CampaignChannel } from './channels';

export interface QuietWindow {
  start: string;
  end: string;
}

/** A campaign's quiet hours: one window for every channel, or a channel's own where it has one (SMS stricter than email). */
export interface CampaignQuietHours extends QuietWindow {
  channels?: Partial<Record<CampaignChannel, QuietWindow>>;
}

export const quietWindowFor = (quiet: CampaignQuietHours, channel: CampaignChannel): QuietWindow => quiet.channels?.[channel] ?? quiet;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const isHhMm = (value: string) => HHMM.test(value);

const minutesOf = (hhmm: string) => {
  const m = HHMM.exec(hhmm);
  if (!m) throw new Error(`not a time of day (HH:MM): ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/** A zone luxon knows, else the fallback (an unknown zone in a contact row must not stop the send). */
export function usableZone(zone: string | null | undefined, fallback: string): string {
  return zone && DateTime.now().setZone(zone).isValid ? zone : fallback;
}

/** When the window that holds `now` ends (UTC), or null when `now` is outside it. */
export function quietUntil(now: Date, zone: string, window: QuietWindow): Date | null {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return null;
  const local = DateTime.fromJSDate(now).setZone(zone);
  const minute = local.hour * 60 + local.minute;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  let until = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (until <= local) until = until.plus({ days: 1 });
  return until.toJSDate();
}
