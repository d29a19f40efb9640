import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES, ExtractionError, detectFormat, extractDocument } from '../../knowledge/extract';
import { normalizeText } from '../../knowledge/extract/normalize';
import { PAGE_BODY, blankPdf, clinicHtml, encryptedPdf, priceListCsv, threePagePdf, twoHeadingDocx } from './fixtures';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const text = (value: string) => Buffer.from(value, 'utf8');

async function extractionError(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  return error as ExtractionError;
}

describe('extractDocument: PDF', () => {
  it('gives a section per page, carries the last heading over and rejoins wrapped lines', async () => {
    const doc = await extractDocument(await threePagePdf(), { mimeType: 'application/pdf', fileName: 'handbook.pdf' });
    expect(doc.title).toBe('Clinic handbook');
    expect(doc.pageCount).toBe(3);
    expect(doc.sections.map((s) => [s.heading, s.page])).toEqual([
      ['Opening hours', 1],
      ['Opening hours', 2],
      ['Refund policy', 3],
    ]);
    for (const [i, section] of doc.sections.entries()) {
      expect(section.text).toBe(`${PAGE_BODY(i + 1)} A wrapped line that contin-ues the same paragraph.\n\nA second paragraph on page ${i + 1}.`);
    }
  });

  it('reports a password-protected PDF as encrypted', async () => {
    const error = await extractionError(extractDocument(encryptedPdf(), { mimeType: 'application/pdf' }));
    expect(error.code).toBe('encrypted');
    expect(error.message).toBe('This PDF is password-protected: remove the password and upload it again.');
  });

  it('reports a truncated PDF as corrupt', async () => {
    const bytes = await threePagePdf();
    const error = await extractionError(extractDocument(bytes.subarray(0, bytes.length / 2), { mimeType: 'application/pdf' }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/^This PDF could not be read: .*save a fresh copy and upload that\.$/);
  });

  it('reports a PDF without text (a scan) as empty', async () => {
    const error = await extractionError(extractDocument(await blankPdf(), { mimeType: 'application/pdf' }));
    expect(error.code).toBe('empty');
    expect(error.message).toMatch(/scanned image.*\(OCR\)/);
  });
});

describe('extractDocument: DOCX', () => {
  it('splits on Word headings', async () => {
    const doc = await extractDocument(await twoHeadingDocx(), { mimeType: DOCX, fileName: 'clinic.docx' });
    expect(doc).toEqual({
      title: 'Opening hours',
      pageCount: null,
      sections: [
        { heading: null, page: null, text: 'Welcome to the clinic.' },
        { heading: 'Opening hours', page: null, text: 'We are open Monday to Friday.\n\nClosed on public holidays.' },
        { heading: 'Refunds', page: null, text: 'Refunds are issued within 14 days.' },
      ],
    });
  });

  it('reports random bytes named .docx as corrupt', async () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256));
    const error = await extractionError(extractDocument(bytes, { mimeType: DOCX, fileName: 'notes.docx' }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/^This Word document could not be read/);
  });

  it('reports an OLE-wrapped (password-protected) .docx as encrypted', async () => {
    const bytes = Buffer.concat([Buffer.from('D0CF11E0A1B11AE1', 'hex'), Buffer.alloc(504)]);
    const error = await extractionError(extractDocument(bytes, { mimeType: DOCX, fileName: 'secret.docx' }));
    expect(error.code).toBe('encrypted');
    expect(error.message).toMatch(/^This Word document is password-protected/);
  });
});

describe('extractDocument: Markdown, HTML, CSV, text', () => {
  it('splits Markdown per heading and renders inline markup as text', async () => {
    const source = [
      '---',
      'layout: page',
      '---',
      'Intro with a [link](https://example.com).',
      '',
      '# Opening **hours**',
      '',
      'Open *Monday*.',
      '',
      '```',
      '# not a heading',
      '```',
      '',
      'Refunds',
      '-------',
      '',
      '- within 14 days',
      '- to the card used',
    ].join('\n');
    const doc = await extractDocument(text(source), { mimeType: 'application/octet-stream', fileName: 'faq.md' });
    expect(doc.title).toBe('Opening hours');
    expect(doc.sections).toEqual([
      { heading: null, page: null, text: 'Intro with a link.' },
      { heading: 'Opening hours', page: null, text: 'Open Monday.\n\n# not a heading' },
      { heading: 'Refunds', page: null, text: '- within 14 days\n- to the card used' },
    ]);
  });

  it('splits HTML on h1–h6 and drops scripts, styles and navigation', async () => {
    const doc = await extractDocument(clinicHtml(), { mimeType: 'text/html; charset=utf-8' });
    expect(doc).toEqual({
      title: 'Clinic & Co',
      pageCount: null,
      sections: [
        { heading: 'Opening hours', page: null, text: 'Open Monday to Friday.\n\nClosed on holidays.' },
        { heading: 'Refunds policy', page: null, text: 'Within 14 days.' },
      ],
    });
  });

  it('renders CSV records as "column: value" lines in sections of 25 rows headed by the file name', async () => {
    const doc = await extractDocument(priceListCsv(30), { mimeType: 'text/csv', fileName: 'prices.csv' });
    expect(doc.title).toBe('prices.csv');
    expect(doc.sections.map((s) => [s.heading, s.text.split('\n').length])).toEqual([
      ['prices.csv', 25],
      ['prices.csv', 5],
    ]);
    expect(doc.sections[0].text.split('\n').slice(0, 2)).toEqual(['id: 1; name: Item, 1', 'id: 2; name: Item, 2; price: 9.50']);
  });

  it('reads semicolon-separated CSV', async () => {
    const doc = await extractDocument(text('day;hours\nMonday;9-18\n'), { mimeType: 'text/csv', fileName: 'hours.csv' });
    expect(doc.sections[0].text).toBe('day: Monday; hours: 9-18');
  });

  it('keeps plain text as one headingless section with its paragraph breaks', async () => {
    const doc = await extractDocument(text('\uFEFF  First\u00A0\u00A0paragraph\u0007 line.\r\nSame paragraph.\r\n\r\n\r\n\r\nCafe\u0301 second.  '), {
      mimeType: 'text/plain',
    });
    expect(doc).toEqual({ title: null, pageCount: null, sections: [{ heading: null, page: null, text: 'First paragraph line.\nSame paragraph.\n\nCafé second.' }] });
  });

  it('reads UTF-16 text with a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße aus Köln', 'utf16le')]);
    const doc = await extractDocument(bytes, { mimeType: 'text/plain' });
    expect(doc.sections[0].text).toBe('Grüße aus Köln');
  });
});

describe('extractDocument: refusals', () => {
  it('refuses unsupported types with the list of supported ones', async () => {
    const error = await extractionError(extractDocument(Buffer.from([0x89, 0x50, 0x4e, 0x47]), { mimeType: 'image/png', fileName: 'logo.png' }));
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toBe('"logo.png" cannot be added to the knowledge base. Upload a PDF, Word (.docx), Markdown, HTML, CSV or plain text file.');
  });

  it('refuses files over the size limit before parsing', async () => {
    expect(DEFAULT_MAX_BYTES).toBe(25 * 1024 * 1024);
    const error = await extractionError(extractDocument(Buffer.alloc(3 * 1024 * 1024, 0x61), { mimeType: 'text/plain', maxBytes: 1024 * 1024 }));
    expect(error.code).toBe('too_large');
    expect(error.message).toBe('This file is 3 MB; the limit is 1 MB. Split it into smaller files and upload those.');
  });

  it('refuses whitespace-only documents as empty', async () => {
    const error = await extractionError(extractDocument(text(' \n\n\t \u200B '), { mimeType: 'text/plain' }));
    expect(error.code).toBe('empty');
    expect(error.message).toBe('This file has no text. Check that you picked the right file.');
    const csv = await extractionError(extractDocument(text('a,b\n'), { mimeType: 'text/csv' }));
    expect(csv.code).toBe('empty');
    expect(csv.message).toMatch(/no data rows/);
  });

  it('refuses binary content declared as text as corrupt', async () => {
    const error = await extractionError(extractDocument(Buffer.from([0x00, 0x01, 0x02, 0x41, 0x00]), { mimeType: 'text/plain' }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/^This file is not readable text\./);
  });
});

describe('detectFormat', () => {
  const pdf = Buffer.from('%PDF-1.7\n');
  const zip = Buffer.from('PK\x03\x04rest', 'latin1');
  it.each([
    [pdf, 'application/pdf; charset=binary', undefined, 'pdf'],
    [text('x'), 'application/octet-stream', 'notes.MD', 'markdown'],
    [text('x'), 'text/plain', 'export.csv', 'csv'],
    [text('x'), 'text/plain', 'page.htm', 'html'],
    [pdf, 'application/octet-stream', undefined, 'pdf'],
    [zip, '', 'upload', 'docx'],
    [text('x'), 'text/plain', undefined, 'text'],
    [text('x'), 'application/msword', 'old.doc', null],
    [text('x'), 'application/octet-stream', 'archive.7z', null],
  ] as const)('%#: %s as %s named %s → %s', (bytes, mime, name, expected) => {
    expect(detectFormat(bytes, mime, name)).toBe(expected);
  });
});

describe('normalizeText', () => {
  it('applies NFC, collapses spaces, strips controls and keeps single blank lines', () => {
    expect(normalizeText(' a\t\tb \u0000c\u00ADd\n \n\n\ne\u0301 ')).toBe('a b cd\n\n\u00E9');
  });
});
