/**
 * Every regular expression a tenant or a contact writes (ask patterns, `~=` in expressions,
 * handoff keywords, blocklists) runs on RE2's linear-time engine, never on V8's backtracking one:
 * these run inside workflow code, on the worker's one workflow thread, where `^(a+)+$` against a
 * few dozen characters used to stall every tenant's turns and then deadlock the isolate. re2js is
 * plain JavaScript, so it bundles into the workflow sandbox. RE2 has no backreferences or
 * lookaround; such a pattern is refused when the flow is validated.
 */
import { RE2JS } from 're2js';
import { BoundedMap } from './bounded-map';

/** Text longer than this is never given to a tenant's pattern (RE2 is linear, but not free). */
export const PATTERN_INPUT_MAX = 4096;
/** Longest pattern source accepted: RE2's program grows with it. */
export const PATTERN_SOURCE_MAX = 1000;

export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

export type Pattern = RE2JS;

const cache = new BoundedMap<string, Pattern>(500);

/** Compiles (cached) with RE2 or throws a PatternError saying why. */
export function compilePattern(source: string, { caseInsensitive = false, maxSource = PATTERN_SOURCE_MAX } = {}): Pattern {
  const key = `${caseInsensitive ? 'i' : '-'}${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (source.length > maxSource) throw new PatternError(`pattern is longer than ${maxSource} characters`);
  let compiled: Pattern;
  try {
    compiled = RE2JS.compile(source, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    throw new PatternError(`pattern "${source}" is not a supported regular expression (${(err as Error).message.replace(/^error parsing regexp: /, '')}); backreferences and lookarounds are not supported`);
  }
  cache.set(key, compiled);
  return compiled;
}

/** Null when RE2 compiles the pattern, else the reason (for validation messages). */
export function patternProblem(source: string): string | null {
  try {
    compilePattern(source);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Whether the pattern matches somewhere in the text; text beyond PATTERN_INPUT_MAX is not looked at. */
export function patternMatches(source: string, text: string): boolean {
  return compilePattern(source).test(text.length > PATTERN_INPUT_MAX ? text.slice(0, PATTERN_INPUT_MAX) : text);
}
