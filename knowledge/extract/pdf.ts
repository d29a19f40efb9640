/**
 * PDF → one or more sections per page. Headings are recognised only by size: a short line set at
 * least 15 % larger than the document's body text. Anything subtler (bold, numbering) misfires on
 * forms and letters, and a missing heading costs less than a wrong one in a citation.
 */
import { extractTextItems, getDocumentProxy, type StructuredTextItem } from 'unpdf';
import type { ExtractedDocument, ExtractedSection } from '../../core/knowledge/types';
import { ExtractionError, corrupt } from './errors';
import { normalizeHeading, normalizeText } from './normalize';

const HEADING_SCALE = 1.15;
const HEADING_MAX_CHARS = 100;
const HEADING_MAX_WORDS = 14;
/** A vertical gap above this many line heights starts a new paragraph. */
const PARAGRAPH_GAP = 1.6;

interface Line {
  text: string;
  fontSize: number;
  y: number;
}

/** Joins a page's text items into lines; pdf.js marks line ends, and a jump in y ends one too. */
function toLines(items: StructuredTextItem[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const item of items) {
    if (current && item.str !== '' && Math.abs(item.y - current.y) > Math.max(item.fontSize, current.fontSize) / 2) {
      lines.push(current);
      current = null;
    }
    if (item.str !== '') {
      current ??= { text: '', fontSize: 0, y: item.y };
      current.text += item.str;
      current.fontSize = Math.max(current.fontSize, item.fontSize);
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines.filter((line) => line.text.trim() !== '');
}

/** The font size that covers the most characters: the body text. */
function bodyFontSize(pages: Line[][]): number {
  const chars = new Map<number, number>();
  for (const line of pages.flat()) {
    const size = Math.round(line.fontSize * 2) / 2;
    chars.set(size, (chars.get(size) ?? 0) + line.text.length);
  }
  let best = 0;
  let bestChars = -1;
  for (const [size, count] of chars) if (count > bestChars || (count === bestChars && size < best)) [best, bestChars] = [size, count];
  return best;
}

function isHeading(line: Line, bodySize: number): boolean {
  const text = line.text.trim();
  return (
    bodySize > 0 &&
    line.fontSize >= bodySize * HEADING_SCALE &&
    text.length <= HEADING_MAX_CHARS &&
    text.split(/\s+/).length <= HEADING_MAX_WORDS &&
    /\p{L}/u.test(text) &&
    !/[.,;]$/.test(text)
  );
}

/** Wrapped lines are rejoined into one paragraph; a line ending in a hyphen continues the word. */
function joinLine(paragraph: string, line: string): string {
  if (paragraph === '') return line;
  return /\p{L}-$/u.test(paragraph) ? paragraph + line.trimStart() : `${paragraph} ${line}`;
}

export async function extractPdf(bytes: Buffer): Promise<ExtractedDocument> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js may transfer the buffer it gets; a copy keeps the caller's bytes intact.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    if ((error as Error)?.name === 'PasswordException') {
      throw new ExtractionError('encrypted', 'This PDF is password-protected: remove the password and upload it again.', { cause: error });
    }
    throw corrupt('PDF', error);
  }
  try {
    const { items } = await extractTextItems(pdf);
    const pages = items.map(toLines);
    const bodySize = bodyFontSize(pages);
    const sections: ExtractedSection[] = [];
    let heading: string | null = null;
    let firstHeading: string | null = null;
    pages.forEach((lines, index) => {
      const page = index + 1;
      const paragraphs: string[] = [];
      let paragraph = '';
      const flush = () => {
        if (paragraph.trim() !== '') paragraphs.push(paragraph);
        paragraph = '';
        const text = normalizeText(paragraphs.splice(0).join('\n\n'));
        if (text !== '') sections.push({ text, heading, page });
      };
      lines.forEach((line, i) => {
        if (isHeading(line, bodySize)) {
          flush();
          heading = normalizeHeading(line.text);
          firstHeading ??= heading;
          return;
        }
        const previous = lines[i - 1];
        if (previous && previous.y - line.y > PARAGRAPH_GAP * Math.max(previous.fontSize, line.fontSize)) {
          if (paragraph.trim() !== '') paragraphs.push(paragraph);
          paragraph = '';
        }
        paragraph = joinLine(paragraph, line.text.trim());
      });
      flush();
    });
    const info = (await pdf.getMetadata().catch(() => null))?.info as { Title?: unknown } | undefined;
    const title = (typeof info?.Title === 'string' && normalizeHeading(info.Title)) || firstHeading;
    return { title, sections, pageCount: pdf.numPages };
  } catch (error) {
    throw corrupt('PDF', error);
  } finally {
    await pdf.loadingTask.destroy();
  }
}
