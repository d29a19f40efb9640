/** Plain text: one section without heading; its blank lines stay as paragraph breaks for the chunker. */
import type { ExtractedDocument } from '../../core/knowledge/types';
import { normalizeText } from './normalize';

export function extractPlainText(text: string): ExtractedDocument {
  const body = normalizeText(text);
  return { title: null, sections: body === '' ? [] : [{ text: body, heading: null, page: null }], pageCount: null };
}
