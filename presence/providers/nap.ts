/**
 * Name, address and phone in comparable forms, so "(217) 555-0142" and "+1 217-555-0142", or
 * "123 Main Street, Springfield, Illinois" and "123 Main St., Springfield, IL" compare equal.
 *
 * - **Phone**: libphonenumber-js to E.164, read in the business's country (the website's
 *   `addressCountry`, else the tenant's default); an unparseable number keeps its digits.
 * - **Address**: lower case, accents folded, punctuation dropped, the USPS street-suffix and
 *   directional abbreviations (Street → st, North → n), US state names to their codes, unit
 *   words (Suite, Unit, #) to `#`, and the country dropped. A small table rather than libpostal
 *   (a C library with a 2 GB model) or a US-only parser: listings write addresses in few ways, and
 *   the comparison is on tokens (street number, street, postcode), which this settles.
 * - **Name**: case, accents, punctuation, "&" vs "and", and a leading "The" ignored.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export function normalizePhone(raw: string | undefined, country: string = 'US'): string | null {
  if (!raw) return null;
  const cc = (/^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : 'US') as CountryCode;
  const parsed = parsePhoneNumberFromString(raw, cc);
  if (parsed?.isPossible()) return parsed.number;
  const digits = raw.replace(/\D/g, '');
  return digits.length >= 6 ? digits : null;
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

const SUFFIXES: Record<string, string> = {
  street: 'st', str: 'st', avenue: 'ave', av: 'ave', boulevard: 'blvd', road: 'rd', drive: 'dr', lane: 'ln', court: 'ct',
  place: 'pl', square: 'sq', terrace: 'ter', parkway: 'pkwy', highway: 'hwy', circle: 'cir', trail: 'trl', way: 'way',
  plaza: 'plz', alley: 'aly', crossing: 'xing', expressway: 'expy', freeway: 'fwy', center: 'ctr', centre: 'ctr', mount: 'mt',
  north: 'n', south: 's', east: 'e', west: 'w', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
  suite: '#', ste: '#', unit: '#', apartment: '#', apt: '#', floor: 'fl', saint: 'st',
};

const STATES: Record<string, string> = {
  alabama: 'al', alaska: 'ak', arizona: 'az', arkansas: 'ar', california: 'ca', colorado: 'co', connecticut: 'ct', delaware: 'de',
  florida: 'fl', georgia: 'ga', hawaii: 'hi', idaho: 'id', illinois: 'il', indiana: 'in', iowa: 'ia', kansas: 'ks', kentucky: 'ky',
  louisiana: 'la', maine: 'me', maryland: 'md', massachusetts: 'ma', michigan: 'mi', minnesota: 'mn', mississippi: 'ms',
  missouri: 'mo', montana: 'mt', nebraska: 'ne', nevada: 'nv', ohio: 'oh', oklahoma: 'ok', oregon: 'or', pennsylvania: 'pa',
  tennessee: 'tn', texas: 'tx', utah: 'ut', vermont: 'vt', virginia: 'va', washington: 'wa', wisconsin: 'wi', wyoming: 'wy',
  'new hampshire': 'nh', 'new jersey': 'nj', 'new mexico': 'nm', 'new york': 'ny', 'north carolina': 'nc', 'north dakota': 'nd',
  'rhode island': 'ri', 'south carolina': 'sc', 'south dakota': 'sd', 'west virginia': 'wv', 'district of columbia': 'dc',
};

const COUNTRIES = ['usa', 'us', 'united states', 'united states of america', 'uk', 'united kingdom', 'canada', 'france', 'deutschland', 'germany', 'nederland', 'netherlands', 'italia', 'italy', 'espana', 'spain', 'australia'];

export function normalizeAddress(raw: string | undefined): string | null {
  if (!raw) return null;
  let s = fold(raw).replace(/[.,;:()]/g, ' ').replace(/#\s*/g, ' # ').replace(/\s+/g, ' ').trim();
  for (const country of COUNTRIES) s = s.replace(new RegExp(`\\s${country}$`), '');
  for (const [name, code] of Object.entries(STATES)) if (name.includes(' ')) s = s.replace(new RegExp(`\\b${name}\\b`, 'g'), code);
  const words = s.split(' ').map((w) => STATES[w] ?? SUFFIXES[w] ?? w);
  // "Ste 4" and "# 4" and "#4" are one unit token.
  return words.join(' ').replace(/# (\w+)/g, '#$1').trim() || null;
}

/** The tokens two addresses are compared on: street number, street words, postcode; city and state only when both name them. */
export function addressesMatch(a: string | undefined, b: string | undefined): boolean | null {
  const na = normalizeAddress(a);
  const nb = normalizeAddress(b);
  if (!na || !nb) return null;
  if (na === nb) return true;
  const ta = new Set(na.split(' '));
  const tb = new Set(nb.split(' '));
  const numbers = (t: Set<string>) => [...t].filter((w) => /^\d+[a-z]?$/.test(w));
  // Every number (street number, postcode) one side names the other names too, and most words are shared.
  const [small, large] = ta.size <= tb.size ? [ta, tb] : [tb, ta];
  if (!numbers(small).every((n) => large.has(n))) return false;
  const shared = [...small].filter((w) => large.has(w)).length;
  return shared / small.size >= 0.8;
}

export function normalizeName(raw: string | undefined): string | null {
  if (!raw) return null;
  const s = fold(raw).replace(/&/g, ' and ').replace(/['’]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().replace(/^the /, '');
  return s || null;
}
