/**
 * Answers meant for the ear: on a call the model is asked for a short spoken answer, and what it
 * (or the offline responder) writes is cleaned of what only reads well — `[n]` citation markers,
 * "Sources:" lines, links, markdown — and cut to a few sentences.
 */

/** Joins the model's system message on a call. */
export const SPOKEN_REPLY_PROMPT =
  'You are speaking on a phone call: answer in one to three short sentences of plain speech. No lists, no markdown, no links, no citation markers; never read out sources.';

/** Tokens an answer on a call may use at most: a short answer. */
export const SPOKEN_MAX_TOKENS = 200;
const MAX_SENTENCES = 3;
const MAX_CHARS = 450;

export function spokenAnswer(text: string): string {
  const cleaned = text
    .replace(/^\s*sources?:.*$/gim, '')
    .replace(/\[\d+(?:\s*,\s*\d+)*\]/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/[*_`#>]+/g, '')
    .replace(/^\s*[-•]\s+/gm, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;:!?])/g, '$1')
    .trim();
  const sentences = cleaned.match(/[^.!?]+[.!?]+(?:["”’)]+)?|[^.!?]+$/g) ?? [cleaned];
  let out = '';
  for (const s of sentences.slice(0, MAX_SENTENCES)) {
    const next = `${out} ${s.trim()}`.trim();
    if (next.length > MAX_CHARS && out) break;
    out = next;
  }
  if (out.length > MAX_CHARS) out = `${out.slice(0, out.lastIndexOf(' ', MAX_CHARS) > 0 ? out.lastIndexOf(' ', MAX_CHARS) : MAX_CHARS).trimEnd()}…`;
  return out;
}
