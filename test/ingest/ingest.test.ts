/**
 * Ingestion end to end: the ingestDocument workflow on the test Temporal server, the real
 * activities on PostgreSQL, documents generated in the tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { addSourceVersion, REINDEX_FAILED_STAGE } from '../../db/repos';
import { tenantEm } from '../../db/orm';
import { blankPdf, clinicHtml, encryptedPdf, priceListCsv, twoHeadingDocx } from '../rag/fixtures';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
import { startStack, type Stack } from '../support/stack';
import { addDocument, chunkRows, documentRow, ingest, markdownGuide, search, token } from './support';

let stack: Stack;
let tenantId: string;

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), env: { HTTP_ALLOWED_HOSTS: '' } });
  ({ tenantId } = await stack.createTenant());
});
afterAll(() => stack?.close());

async function handbookPdf(tag: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const [title, body] of [['Opening hours', `The clinic ${tag} opens at eight.`], ['Refund policy', `Refunds for ${tag} take fourteen days.`]]) {
    const page = doc.addPage([595, 842]);
    page.drawText(title, { x: 50, y: 780, size: 18, font });
    page.drawText(body, { x: 50, y: 740, size: 11, font });
  }
  return Buffer.from(await doc.save());
}

describe('a document becomes searchable', () => {
  it('indexes Markdown with its sections and finds it', async () => {
    const tag = token();
    const ref = await addDocument(stack, tenantId, { name: 'guide.md', mimeType: 'text/markdown', content: Buffer.from(markdownGuide(tag, 3, 2)) });
    const result = await ingest(stack, tenantId, ref);
    expect(result).toMatchObject({ status: 'ready', error: null });
    expect(result.chunkCount).toBeGreaterThan(0);
    expect(result.embedded + result.cached).toBe(result.chunkCount);

    const doc = await documentRow(stack, tenantId, ref.documentId);
    expect(doc).toMatchObject({ status: 'ready', percent: 100, error: null, activeVersion: 1, chunkCount: result.chunkCount });
    const chunks = await chunkRows(stack, tenantId, ref.documentId);
    expect(chunks.map((c) => c.section)).toContain(`Topic 2 ${tag}`);
    const hits = await search(stack, tenantId, ref.knowledgeBaseId, `step 2.1 topic 2 ${tag}`);
    expect(hits[0]).toMatchObject({ documentId: ref.documentId, section: `Topic 2 ${tag}` });
  });

  it('indexes a PDF with pages and headings', async () => {
    const tag = token();
    const ref = await addDocument(stack, tenantId, { name: 'handbook.pdf', mimeType: 'application/pdf', content: await handbookPdf(tag) });
    expect(await ingest(stack, tenantId, ref)).toMatchObject({ status: 'ready', error: null });
    const chunks = await chunkRows(stack, tenantId, ref.documentId, 1);
    expect(chunks.map((c) => [c.page, c.section])).toEqual([[1, 'Opening hours'], [2, 'Refund policy']]);
    const hits = await search(stack, tenantId, ref.knowledgeBaseId, `refunds ${tag}`);
    expect(hits[0]).toMatchObject({ documentId: ref.documentId, page: 2, section: 'Refund policy' });
  });

  it('indexes a Word document by its headings', async () => {
    const ref = await addDocument(stack, tenantId, { name: 'clinic.docx', mimeType: DOCX, content: await twoHeadingDocx() });
    expect(await ingest(stack, tenantId, ref)).toMatchObject({ status: 'ready', error: null });
    const chunks = await chunkRows(stack, tenantId, ref.documentId, 1);
    expect(chunks.map((c) => [c.section, c.page])).toEqual([[null, null], ['Opening hours', null], ['Refunds', null]]);
    const hits = await search(stack, tenantId, ref.knowledgeBaseId, 'when are refunds issued');
    expect(hits[0]).toMatchObject({ documentId: ref.documentId, section: 'Refunds', text: 'Refunds are issued within 14 days.' });
  });

  it('indexes a web page by its headings, without navigation or scripts', async () => {
    const ref = await addDocument(stack, tenantId, { name: 'clinic.html', mimeType: 'text/html; charset=utf-8', content: clinicHtml() });
    expect(await ingest(stack, tenantId, ref)).toMatchObject({ status: 'ready', error: null });
    const chunks = await chunkRows(stack, tenantId, ref.documentId, 1);
    expect(chunks.map((c) => c.section)).toEqual(['Opening hours', 'Refunds policy']);
    expect(chunks.map((c) => c.text).join(' ')).not.toMatch(/track\(\)|About|color/);
    const hits = await search(stack, tenantId, ref.knowledgeBaseId, 'refunds policy');
    expect(hits[0]).toMatchObject({ documentId: ref.documentId, section: 'Refunds policy' });
  });

  it('indexes a CSV file as "column: value" records under its file name', async () => {
    const ref = await addDocument(stack, tenantId, { name: 'prices.csv', mimeType: 'text/csv', content: priceListCsv(30) });
    expect(await ingest(stack, tenantId, ref)).toMatchObject({ status: 'ready', error: null });
    const chunks = await chunkRows(stack, tenantId, ref.documentId, 1);
    expect(new Set(chunks.map((c) => c.section))).toEqual(new Set(['prices.csv']));
    const text = chunks.map((c) => c.text).join('\n');
    for (const id of [1, 26, 30]) expect(text).toContain(`id: ${id}; name: Item, ${id}`);
    // A record is found by its own values: here the id, which only its chunk holds.
    const hits = await search(stack, tenantId, ref.knowledgeBaseId, 'row 28');
    expect(hits[0].text).toContain('id: 28; name: Item, 28; price: 9.50');
  });

  it('reindexes the same content as version 2 without embedding anything again', async () => {
    const content = Buffer.from(markdownGuide(token(), 4, 3));
    const ref = await addDocument(stack, tenantId, { name: 'guide.md', mimeType: 'text/markdown', content });
    const first = await ingest(stack, tenantId, ref);
    expect(first.embedded).toBe(first.chunkCount);

    await addSourceVersion(tenantEm(stack.orm, tenantId), ref.documentId, content);
    const second = await ingest(stack, tenantId, ref, 2);
    expect(second).toMatchObject({ status: 'ready', chunkCount: first.chunkCount, embedded: 0, cached: first.chunkCount });
    expect(await documentRow(stack, tenantId, ref.documentId)).toMatchObject({ activeVersion: 2, status: 'ready' });
    const chunks = await chunkRows(stack, tenantId, ref.documentId);
    expect(chunks.every((c) => c.version === 2)).toBe(true);
    expect(chunks).toHaveLength(first.chunkCount);
  });
});

describe('a document that cannot be read fails with the reason', () => {
  const cases: [string, () => Promise<{ name: string; mimeType: string; content: Buffer }>, RegExp][] = [
    ['a corrupt PDF', async () => ({ name: 'broken.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.7\n1 0 obj garbage') }), /could not be read/],
    ['an encrypted PDF', async () => ({ name: 'secret.pdf', mimeType: 'application/pdf', content: encryptedPdf() }), /password/i],
    ['a PDF without text', async () => ({ name: 'scan.pdf', mimeType: 'application/pdf', content: await blankPdf() }), /no text/],
    ['an empty text file', async () => ({ name: 'empty.md', mimeType: 'text/markdown', content: Buffer.from('\n\n  \n') }), /no text/],
    ['an unsupported type', async () => ({ name: 'photo.png', mimeType: 'image/png', content: Buffer.from('\x89PNG\r\n') }), /cannot be added/],
  ];
  it.each(cases)('%s', async (_, make, reason) => {
    const ref = await addDocument(stack, tenantId, await make());
    const result = await ingest(stack, tenantId, ref);
    expect(result).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(result.error).toMatch(reason);
    expect(await documentRow(stack, tenantId, ref.documentId)).toMatchObject({ status: 'failed', error: result.error, activeVersion: null, chunkCount: 0 });
    expect(await chunkRows(stack, tenantId, ref.documentId)).toEqual([]);
  });

  it('keeps the previous version searchable when a reindex fails', async () => {
    const tag = token();
    const ref = await addDocument(stack, tenantId, { name: 'guide.md', mimeType: 'text/markdown', content: Buffer.from(markdownGuide(tag, 2, 2)) });
    const first = await ingest(stack, tenantId, ref);
    await addSourceVersion(tenantEm(stack.orm, tenantId), ref.documentId, Buffer.from('   '));
    const second = await ingest(stack, tenantId, ref, 2);
    expect(second).toMatchObject({ status: 'failed', error: expect.stringMatching(/no text/) });
    expect(await documentRow(stack, tenantId, ref.documentId)).toMatchObject({
      status: 'ready', stage: REINDEX_FAILED_STAGE, error: second.error, activeVersion: 1, latestVersion: 2, chunkCount: first.chunkCount,
    });
    expect((await search(stack, tenantId, ref.knowledgeBaseId, `topic 1 ${tag}`))[0]?.documentId).toBe(ref.documentId);
    expect(await chunkRows(stack, tenantId, ref.documentId, 2)).toEqual([]);
  });
});
