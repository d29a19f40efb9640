/** DOCX → HTML with mammoth (Word heading styles become h1–h6), then split like HTML. */
import type { ExtractedDocument } from '../../core/knowledge/types';
import { corrupt } from './errors';
import { htmlToSections } from './html';

export async function extractDocx(bytes: Buffer): Promise<ExtractedDocument> {
  // Loaded on the first Word document: it is a third of a second of every worker and API start.
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes })).value;
  } catch (error) {
    throw corrupt('Word document', error);
  }
  const { firstH1, sections } = htmlToSections(html);
  return { title: firstH1, sections, pageCount: null };
}
