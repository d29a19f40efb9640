/** Whole-word, case-insensitive matching of words and phrases, shared by handoff keywords and blocklists. */

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Letters and digits of any script count as word characters, so "agentur" does not match "agent". */
export function phrasePattern(phrases: readonly string[]): RegExp | null {
  const parts = phrases
    .map((p) => p.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((p) => p.split(/\s+/).map(escapeRegex).join('\\s+'));
  if (!parts.length) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${parts.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}
