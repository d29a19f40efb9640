/** Pure reply helpers: workflow code runs them in the bundle, so they live here, not in `llm/`. */

const PASSAGE_CHARS = 700;

/**
 * With no model but a knowledge base, the best passage is quoted as it stands, named as a quote
 * from the document: the contact sees where it comes from and that no one composed an answer.
 */
export function offlinePassageReply(sourceLabel: string, passage: string): string {
  const text = passage.replace(/\s+/g, ' ').trim();
  const cut = text.length > PASSAGE_CHARS ? `${text.slice(0, text.lastIndexOf(' ', PASSAGE_CHARS) + 1 || PASSAGE_CHARS).trimEnd()} …` : text;
  return `From ${sourceLabel}: “${cut}”`;
}
