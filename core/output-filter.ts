/**
 * Post-processing of model output before a contact sees it (llmReply `outputFilter`):
 * PII redaction, blocklist masking, then truncation so the ellipsis is never masked away.
 */
import type { z } from 'zod';
import type { outputFilterSchema } from './nodes';
import { compilePattern } from './regex';
import { phraseMatcher } from './words';

export type OutputFilter = z.input<typeof outputFilterSchema>;

// On RE2: model output can be steered by a contact, and on V8 this pattern is quadratic in a long
// run of word characters before an "@" (9,000 characters took ~300 ms of the workflow thread).
// Compiled at first use (compilePattern caches it): this module is evaluated for every new workflow
// run, and compiling it there took about 4 ms of each conversation's first task, redacting or not.
const email = () => compilePattern('[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}.-]+\\.[\\p{L}]{2,}');
const CARD_CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}])\+?\(?\d[\d\s().-]{5,}\d(?!\d)/gu;

export function applyOutputFilter(text: string, filter: OutputFilter | undefined): string {
  if (!filter) return text;
  let out = text;
  if (filter.redactPii) out = redactPii(out);
  const blocked = phraseMatcher(filter.blocklist ?? []);
  if (blocked) out = blocked.replace(out, (m) => m.replace(/\S/g, '*'));
  if (filter.maxLength !== undefined) out = truncate(out, filter.maxLength);
  return out;
}

export function redactPii(text: string): string {
  return email().matcher(text)
    .replaceAll(() => '[email]')
    .replace(CARD_CANDIDATE, (m) => (luhn(m.replace(/\D/g, '')) ? '[card]' : m))
    .replace(PHONE_CANDIDATE, (m) => {
      const digits = m.replace(/\D/g, '').length;
      return digits >= 7 && digits <= 15 ? '[phone]' : m;
    });
}

export function luhn(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Cuts at the last word boundary that fits, leaving room for "…"; a single long word is cut hard. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 1) return '…'.slice(0, maxLength);
  const room = text.slice(0, maxLength - 1);
  const endsOnWord = /\s/.test(text[maxLength - 1]);
  const boundary = room.search(/\s\S*$/);
  const cut = endsOnWord || boundary <= maxLength / 3 ? room : room.slice(0, boundary);
  return `${cut.replace(/[\s,;:.-]+$/, '')}…`;
}
