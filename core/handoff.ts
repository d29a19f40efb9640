import { PATTERN_INPUT_MAX } from './regex';
import { phraseMatcher } from './words';

/**
 * True when the message contains one of the keywords as a whole word or phrase, ignoring case.
 * Only the message's first PATTERN_INPUT_MAX characters are looked at: this runs on the workflow
 * thread, and an e-mail body may be megabytes long (~200 ms a megabyte) while a request for a
 * person comes at the start of a message.
 */
export function containsHandoffKeyword(text: string, keywords: readonly string[]): boolean {
  return phraseMatcher(keywords)?.test(text.length > PATTERN_INPUT_MAX ? text.slice(0, PATTERN_INPUT_MAX) : text) ?? false;
}
