import { phraseMatcher } from './words';

/** True when the message contains one of the keywords as a whole word or phrase, ignoring case. */
export function containsHandoffKeyword(text: string, keywords: readonly string[]): boolean {
  return phraseMatcher(keywords)?.test(text) ?? false;
}
