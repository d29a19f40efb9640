/**
 * A contact's addresses as campaigns store them: phones in E.164 (libphonenumber-js, with a
 * default country for national numbers), emails lower-case, zones IANA. One place, used by the
 * contacts API and the CSV import alike. Not re-exported from the index: the campaign workflow
 * imports the index, and the phone metadata has no business in its bundle.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

export type FieldCheck = { ok: true; value: string } | { ok: false; message: string };

export function normalizePhone(raw: string, defaultCountry?: string): FieldCheck {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry ? { defaultCountry: defaultCountry.toUpperCase() as CountryCode } : undefined);
  if (!parsed?.isValid()) return { ok: false, message: `"${raw.slice(0, 40)}" is not a valid phone number${defaultCountry ? '' : ' (international format +…, or set defaultCountry)'}` };
  return { ok: true, value: parsed.number };
}

const emailSchema = z.email();
export function normalizeEmail(raw: string): FieldCheck {
  const value = raw.trim().toLowerCase();
  return emailSchema.safeParse(value).success ? { ok: true, value } : { ok: false, message: `"${raw.slice(0, 60)}" is not a valid email address` };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

export function normalizeTimezone(raw: string): FieldCheck {
  const value = raw.trim();
  return isTimeZone(value) ? { ok: true, value } : { ok: false, message: `"${value.slice(0, 60)}" is not an IANA time zone (e.g. Europe/Paris)` };
}

/** Tags are trimmed, lower-cased and de-duplicated, so "VIP" and "vip " are one tag. */
export const normalizeTags = (tags: readonly string[]): string[] => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
