import { phrasePattern } from './words';

/** True when the message contains one of the keywords as a whole word or phrase, ignoring case. */
export function containsHandoffKeyword(text: string, keywords: readonly string[]): boolean {
  const re = phrasePattern(keywords);
  return re !== null && re.test(text);
}
