/** HTML (also the intermediate form of DOCX and Markdown) → sections split on h1–h6. */
import { convert, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import type { ExtractedDocument, ExtractedSection } from '../../core/knowledge/types';
import { normalizeHeading, normalizeText } from './normalize';

// Private-use characters bracket each heading in the converted text, so the real HTML parser
// decides what a heading is and the split afterwards is a plain string operation.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const HEADING_MARK = new RegExp(`${OPEN}([^${CLOSE}]*)${CLOSE}`, 'g');

const markHeading: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral(OPEN);
  walk(elem.children, builder);
  builder.addLiteral(CLOSE);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: { markHeading },
  selectors: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, format: 'markHeading' })),
    // Navigation, scripts and media say nothing a customer asks about.
    ...['script', 'style', 'nav', 'noscript', 'template', 'img', 'svg', 'iframe'].map((selector) => ({ selector, format: 'skip' })),
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
  ],
};

export interface HtmlSections {
  /** Text of the first h1, if any. */
  firstH1: string | null;
  sections: ExtractedSection[];
}

/** Splits HTML into one section per heading; text before the first heading gets a null heading. */
export function htmlToSections(html: string): HtmlSections {
  const text = convert(html, OPTIONS);
  const sections: ExtractedSection[] = [];
  const firstH1Match = /<h1[\s>][\s\S]*?<\/h1>/i.exec(html);
  let heading: string | null = null;
  let last = 0;
  const push = (end: number) => {
    const body = normalizeText(text.slice(last, end));
    if (body !== '') sections.push({ text: body, heading, page: null });
  };
  for (const match of text.matchAll(HEADING_MARK)) {
    push(match.index);
    heading = normalizeHeading(match[1]);
    last = match.index + match[0].length;
  }
  push(text.length);
  const firstH1 = firstH1Match ? normalizeHeading(convert(firstH1Match[0], { wordwrap: false, selectors: [{ selector: 'h1', format: 'block' }] })) : null;
  return { firstH1, sections };
}

export function extractHtml(html: string): ExtractedDocument {
  const { firstH1, sections } = htmlToSections(html);
  const titleTag = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = (titleTag && normalizeHeading(convert(titleTag[1], { wordwrap: false }))) || firstH1;
  return { title, sections, pageCount: null };
}
