/** Text clean-up shared by every format, so chunking and embedding see one shape of text. */

// C0/C1 controls except tab and newline, zero-width characters, soft hyphens and BOMs: invisible
// in the source but they split words for the tokenizer and the full-text index.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/** NFC, LF line ends, one space between words, trimmed lines, at most one blank line in a row. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(INVISIBLE, '')
    .replace(/[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A heading on one line, or null when nothing readable is left. */
export function normalizeHeading(text: string): string | null {
  const heading = normalizeText(text).replace(/\s+/g, ' ');
  return heading === '' ? null : heading;
}

/** Decodes text files: UTF-8 (with or without BOM) or UTF-16 with a BOM. */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/** NUL bytes or many undecodable sequences mean the "text" is really a binary file. */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const replaced = text.match(/\uFFFD/g)?.length ?? 0;
  return replaced > 8 && replaced > text.length / 100;
}
