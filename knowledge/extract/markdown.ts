/** Markdown → HTML with marked (its lexer decides what is a heading, a code block, a list), then split like HTML. */
import { marked } from 'marked';
import type { ExtractedDocument } from '../../core/knowledge/types';
import { htmlToSections } from './html';

export function extractMarkdown(source: string): ExtractedDocument {
  // Front matter is metadata for site generators, not content.
  const body = source.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  const html = marked.parse(body, { async: false, gfm: true });
  const { firstH1, sections } = htmlToSections(html);
  return { title: firstH1, sections, pageCount: null };
}
