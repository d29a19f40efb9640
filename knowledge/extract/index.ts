/**
 * Turns an uploaded file into sections of normalized text. The format comes from the declared
 * MIME type when it is specific, else from the file extension, else from the first bytes.
 */
import type { ExtractedDocument } from '../../core/knowledge/types';
import { extractCsv } from './csv';
import { extractDocx } from './docx';
import { ExtractionError } from './errors';
import { extractHtml } from './html';
import { extractMarkdown } from './markdown';
import { decodeText, looksBinary } from './normalize';
import { extractPdf } from './pdf';
import { extractPlainText } from './text';

export { ExtractionError, type ExtractionErrorCode } from './errors';

export type DocumentFormat = 'pdf' | 'docx' | 'markdown' | 'html' | 'csv' | 'text';

/** The MIME type stored for each format, so ingestion later detects exactly what was checked here. */
export const FORMAT_MIME: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  markdown: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  text: 'text/plain',
};

export interface ExtractOptions {
  mimeType: string;
  fileName?: string;
  /** Larger files are refused before parsing; defaults to {@link DEFAULT_MAX_BYTES}. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const BY_MIME: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  [DOCX_MIME]: 'docx',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'csv',
};
const BY_EXTENSION: Record<string, DocumentFormat> = {
  pdf: 'pdf', docx: 'docx', md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html',
  csv: 'csv', tsv: 'csv', txt: 'text', text: 'text',
};
/** Types browsers and mail clients send when they do not know better. */
const GENERIC_MIME = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/zip', 'text/plain']);

const startsWith = (bytes: Buffer, magic: string) => bytes.subarray(0, magic.length).equals(Buffer.from(magic, 'latin1'));
const ZIP = 'PK\x03\x04';
/** Compound File header: legacy .doc, and also the wrapper Office puts around password-protected .docx. */
const OLE = '\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1';

export function detectFormat(bytes: Buffer, mimeType: string, fileName?: string): DocumentFormat | null {
  const mime = mimeType.split(';')[0].trim().toLowerCase();
  if (BY_MIME[mime]) return BY_MIME[mime];
  if (!GENERIC_MIME.has(mime) && !mime.startsWith('text/')) return null;
  const extension = fileName?.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  if (BY_EXTENSION[extension]) return BY_EXTENSION[extension];
  if (startsWith(bytes, '%PDF')) return 'pdf';
  if (startsWith(bytes, ZIP)) return 'docx';
  if (mime.startsWith('text/')) return 'text';
  return null;
}

const SUPPORTED = 'PDF, Word (.docx), Markdown, HTML, CSV or plain text';
const EMPTY: Record<DocumentFormat, string> = {
  pdf: 'This PDF has no text we can read; it is probably a scanned image. Run it through text recognition (OCR) or upload the original document.',
  docx: 'This Word document has no text. Check that you picked the right file.',
  markdown: 'This file has no text. Check that you picked the right file.',
  html: 'This web page has no readable text. Check that you picked the right file.',
  csv: 'This spreadsheet has a header row at most and no data rows. Check that you exported the right sheet.',
  text: 'This file has no text. Check that you picked the right file.',
};

function readText(bytes: Buffer): string {
  const text = decodeText(bytes);
  if (looksBinary(text)) {
    throw new ExtractionError('corrupt', `This file is not readable text. Upload it as ${SUPPORTED}.`);
  }
  return text;
}

export async function extractDocument(bytes: Buffer, opts: ExtractOptions): Promise<ExtractedDocument> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
    throw new ExtractionError('too_large', `This file is ${mb(bytes.length)}; the limit is ${mb(maxBytes)}. Split it into smaller files and upload those.`);
  }
  const format = detectFormat(bytes, opts.mimeType, opts.fileName);
  if (format === null) {
    const what = opts.fileName ? `"${opts.fileName}"` : `Files of type ${opts.mimeType || 'unknown'}`;
    throw new ExtractionError('unsupported_type', `${what} cannot be added to the knowledge base. Upload a ${SUPPORTED} file.`);
  }
  if (format === 'docx' && startsWith(bytes, OLE)) {
    throw new ExtractionError('encrypted', 'This Word document is password-protected (or in the old .doc format): remove the password or save it as .docx, then upload it again.');
  }
  const doc = await extractFormat(format, bytes, opts.fileName);
  if (doc.sections.every((section) => section.text.trim() === '')) throw new ExtractionError('empty', EMPTY[format]);
  return doc;
}

function extractFormat(format: DocumentFormat, bytes: Buffer, fileName?: string): Promise<ExtractedDocument> | ExtractedDocument {
  switch (format) {
    case 'pdf':
      return extractPdf(bytes);
    case 'docx':
      return extractDocx(bytes);
    case 'markdown':
      return extractMarkdown(readText(bytes));
    case 'html':
      return extractHtml(readText(bytes));
    case 'csv':
      return extractCsv(readText(bytes), fileName);
    case 'text':
      return extractPlainText(readText(bytes));
  }
}
