/**
 * Which contact field a CSV column fills: the closed list, and the field a header names when the
 * import has no mapping. Apart from contact-import.ts (no phone library), so the console's import
 * dialog proposes the same mapping the server would use.
 */
import { CAMPAIGN_CHANNELS } from './channels';

/** Fields a CSV column maps to; `attributes.<key>` and `consent.<channel>` name one attribute or channel. */
export const IMPORT_FIELDS = ['id', 'name', 'firstName', 'lastName', 'email', 'phone', 'messengerPsid', 'tags', 'timezone', 'locale'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Header spellings a CSV without a mapping may use (compared lower-case, letters and digits only). */
const ALIASES: Record<string, ImportField> = {
  id: 'id', contactid: 'id', externalid: 'id', customerid: 'id',
  name: 'name', fullname: 'name',
  firstname: 'firstName', givenname: 'firstName', first: 'firstName',
  lastname: 'lastName', surname: 'lastName', familyname: 'lastName', last: 'lastName',
  email: 'email', emailaddress: 'email', mail: 'email',
  phone: 'phone', phonenumber: 'phone', mobile: 'phone', mobilephone: 'phone', cell: 'phone', tel: 'phone', telephone: 'phone',
  messengerpsid: 'messengerPsid', psid: 'messengerPsid',
  tags: 'tags', tag: 'tags', labels: 'tags',
  timezone: 'timezone', tz: 'timezone', zone: 'timezone',
  locale: 'locale', language: 'locale', lang: 'locale',
};

const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The field a header names when no mapping is given: a known field, `consent.<channel>` / `<channel> consent`, else an attribute. */
export function defaultField(header: string): string {
  const trimmed = header.trim();
  if (/^attributes\./.test(trimmed) || /^consent\./.test(trimmed)) return trimmed;
  const s = squash(trimmed);
  if (ALIASES[s]) return ALIASES[s];
  const consent = CAMPAIGN_CHANNELS.find((c) => s === `${c}consent` || s === `${c}optin` || s === `consent${c}`);
  if (consent) return `consent.${consent}`;
  return trimmed ? `attributes.${trimmed}` : 'skip';
}
