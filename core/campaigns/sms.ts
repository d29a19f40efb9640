/**
 * SMS segments of a text, as the carriers count them: GSM-7 fits 160 characters in one segment and
 * 153 per segment once split; a single character outside GSM-7 (an emoji, a curly quote, most
 * accented letters) turns the whole message to UCS-2: 70, then 67 per segment. Extended GSM-7
 * characters (€ [ ] { } ~ ^ | \) take two. sms-segments-calculator does the counting (Twilio's).
 */
import { SegmentedMessage } from 'sms-segments-calculator';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
  encoding: SmsEncoding;
  segments: number;
  /** Characters as they count against the limit (an extended GSM-7 character counts two). */
  characters: number;
  /** Characters one segment holds at this encoding and length (160/153 GSM-7, 70/67 UCS-2). */
  perSegment: number;
}

const SINGLE: Record<SmsEncoding, number> = { 'GSM-7': 160, 'UCS-2': 70 };
const SPLIT: Record<SmsEncoding, number> = { 'GSM-7': 153, 'UCS-2': 67 };

export function smsSegments(text: string): SmsSegments {
  if (text.length === 0) return { encoding: 'GSM-7', segments: 0, characters: 0, perSegment: SINGLE['GSM-7'] };
  const message = new SegmentedMessage(text);
  const encoding = message.encodingName;
  const segments = message.segmentsCount;
  return { encoding, segments, characters: message.numberOfCharacters, perSegment: segments > 1 ? SPLIT[encoding] : SINGLE[encoding] };
}

/** The characters that make a text UCS-2 (to name them in a warning). */
export function nonGsmCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const grapheme of new SegmentedMessage(text).graphemes) {
    if (new SegmentedMessage(grapheme).encodingName === 'UCS-2') found.add(grapheme);
  }
  return [...found];
}
