/**
 * Whole-word, case-insensitive matching of words and phrases, shared by handoff keywords and
 * blocklists. The phrases are tenant data, so they go through RE2 (core/regex.ts) like every
 * other tenant pattern. RE2 has no lookbehind: the word boundary on each side is a consumed
 * non-word character (or an end of the text), and the search resumes at the phrase's end so that
 * character can start the next match.
 */
import { compilePattern, type Pattern } from './regex';

/** RE2's \s is ASCII only; JavaScript's also takes Unicode spaces such as U+00A0. */
const SPACE = '[\\s\\p{Z}]+';
/** Letters and digits of any script count as word characters, so "agentur" does not match "agent". */
const NOT_WORD = '[^\\p{L}\\p{N}_]';

export interface PhraseMatcher {
  test(text: string): boolean;
  /** Replaces each whole-word occurrence with what `by` returns for it. */
  replace(text: string, by: (match: string) => string): string;
}

export function phraseMatcher(phrases: readonly string[]): PhraseMatcher | null {
  const parts = phrases
    .map((p) => p.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((p) => p.split(/\s+/).map(quote).join(SPACE));
  if (!parts.length) return null;
  const pattern = compilePattern(`(?:^|${NOT_WORD})(${parts.join('|')})(?:${NOT_WORD}|$)`, { caseInsensitive: true, maxSource: Infinity });
  return {
    test: (text) => occurrences(pattern, text).length > 0,
    replace: (text, by) => {
      let out = '';
      let last = 0;
      for (const [start, end] of occurrences(pattern, text)) {
        out += text.slice(last, start) + by(text.slice(start, end));
        last = end;
      }
      return out + text.slice(last);
    },
  };
}

/** [start, end) of each phrase found, in order. */
function occurrences(pattern: Pattern, text: string): [number, number][] {
  const found: [number, number][] = [];
  const m = pattern.matcher(text);
  let from = 0;
  while (from <= text.length && m.find(from)) {
    found.push([m.start(1), m.end(1)]);
    from = m.end(1);
  }
  return found;
}

/** Literal text in RE2 syntax. */
const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
