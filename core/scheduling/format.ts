/** A slot as a person reads it: in their language and timezone, with the zone named when it is not obvious. */
import { DateTime } from 'luxon';
import type { Slot } from './types';

export function formatSlot(slot: Pick<Slot, 'startsAt'>, opts: { timezone: string; locale?: string; withZone?: boolean }): string {
  const dt = DateTime.fromISO(slot.startsAt, { zone: opts.timezone }).setLocale(opts.locale ?? 'en');
  const text = dt.toLocaleString({ weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
  return opts.withZone === false ? text : `${text} ${dt.offsetNameShort ?? dt.zoneName}`;
}
