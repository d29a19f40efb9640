/** Knowledge bases end to end: upload/paste → ingestion workflow → hybrid search, reindex, delete, isolation, bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

let stack: Stack;
let tenantA: { apiKey: string; tenantId: string };
let tenantB: { apiKey: string; tenantId: string };

const HANDBOOK = `# Store handbook

## Opening hours

The store is open Monday to Friday from nine in the morning until six in the evening. On Saturdays we open at ten and close at four. We are closed on Sundays and public holidays.

## Returns

Items can be returned within thirty days with the original receipt. Refunds go back to the card used for the purchase within five working days.
`;

const PARKING = 'Visitors park in the underground garage beneath the building. Ask the front desk to validate your parking ticket for two free hours.';

beforeAll(async () => {
  stack = await startStack(sharedServers());
  tenantA = await stack.createTenant();
  tenantB = await stack.createTenant();
});

afterAll(async () => {
  await stack?.close();
});

async function upload(apiKey: string, kbId: string, file: { bytes: BlobPart; fileName: string; type: string }, name?: string) {
  const form = new FormData();
  if (name) form.append('name', name);
  form.append('file', new Blob([file.bytes], { type: file.type }), file.fileName);
  const res = await fetch(`${stack.url}/v1/knowledge-bases/${kbId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function createKb(apiKey: string, name = 'Help centre') {
  const created = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name, chunkSize: 200, chunkOverlap: 20, retrieval: { topK: 3 } } });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const getDocument = (apiKey: string, id: string) => stack.request('GET', `/v1/documents/${id}`, { apiKey });

async function settled(apiKey: string, id: string, until: (doc: any) => boolean = (d) => d.status === 'ready' || d.status === 'failed') {
  let doc: any;
  await waitUntil(async () => until((doc = (await getDocument(apiKey, id)).body)), 60_000, `document ${id} to settle`);
  return doc;
}

const search = (apiKey: string, kbId: string, body: unknown) => stack.request('POST', `/v1/knowledge-bases/${kbId}/search`, { apiKey, body });

describe('knowledge bases', () => {
  let kbId: string;
  let handbookId: string;
  let parkingId: string;

  it('indexes an uploaded Markdown file and pasted text, reporting progress until ready', async () => {
    kbId = await createKb(tenantA.apiKey);
    const uploaded = await upload(tenantA.apiKey, kbId, { bytes: HANDBOOK, fileName: 'handbook.md', type: 'application/octet-stream' });
    expect(uploaded.status).toBe(202);
    expect(uploaded.body).toMatchObject({ version: 1, workflowId: `ingest:${tenantA.tenantId}:${uploaded.body.id}:1` });
    handbookId = uploaded.body.id;

    const pasted = await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents`, { apiKey: tenantA.apiKey, body: { text: PARKING, name: 'Parking' } });
    expect(pasted.status).toBe(202);
    parkingId = pasted.body.id;

    const handbook = await settled(tenantA.apiKey, handbookId);
    expect(handbook).toMatchObject({ status: 'ready', percent: 100, activeVersion: 1, latestVersion: 1, sourceType: 'upload', name: 'handbook.md', mimeType: 'text/markdown', error: null });
    expect(handbook.chunkCount).toBeGreaterThan(0);
    const parking = await settled(tenantA.apiKey, parkingId);
    expect(parking).toMatchObject({ status: 'ready', percent: 100, sourceType: 'text', name: 'Parking' });
    expect(parking.mimeType).toMatch(/^text\/plain/);
    expect(parking.chunkCount).toBeGreaterThan(0);

    const kb = await stack.request('GET', `/v1/knowledge-bases/${kbId}`, { apiKey: tenantA.apiKey });
    expect(kb.body).toMatchObject({ id: kbId, name: 'Help centre', chunkSize: 200, chunkOverlap: 20, documentCount: 2, retrieval: { topK: 3, rrfK: 60 } });
    const list = await stack.request('GET', `/v1/knowledge-bases/${kbId}/documents`, { apiKey: tenantA.apiKey });
    expect(list.body.documents.map((d: any) => d.id).sort()).toEqual([handbookId, parkingId].sort());
  });

  it('finds the right document with its section and both rankings', async () => {
    const hours = await search(tenantA.apiKey, kbId, { query: 'When is the store open on Saturdays?' });
    expect(hours.status).toBe(200);
    const top = hours.body.hits[0];
    expect(top).toMatchObject({ document: { id: handbookId, name: 'handbook.md' }, section: 'Opening hours', page: null });
    expect(top.text).toContain('Saturdays');
    expect(top.score).toBeGreaterThan(0);
    expect(top.vectorRank).toBe(1);
    expect(top.textRank).toBe(1);

    const parking = await search(tenantA.apiKey, kbId, { query: 'validate parking ticket', topK: 1 });
    expect(parking.body.hits).toHaveLength(1);
    expect(parking.body.hits[0].document).toEqual({ id: parkingId, name: 'Parking' });

    const none = await search(tenantA.apiKey, kbId, { query: 'parking', minScore: 1 });
    expect(none.body.hits).toEqual([]);
  });

  it('reindexes as a new version and keeps searching', async () => {
    const reindexed = await stack.request('POST', `/v1/documents/${handbookId}/reindex`, { apiKey: tenantA.apiKey });
    expect(reindexed.status).toBe(202);
    expect(reindexed.body).toMatchObject({ id: handbookId, version: 2, workflowId: `ingest:${tenantA.tenantId}:${handbookId}:2` });
    expect((await getDocument(tenantA.apiKey, handbookId)).body.latestVersion).toBe(2);

    const doc = await settled(tenantA.apiKey, handbookId, (d) => d.activeVersion === 2 && d.status === 'ready');
    expect(doc).toMatchObject({ latestVersion: 2, percent: 100 });
    const hits = (await search(tenantA.apiKey, kbId, { query: 'refund receipt returns' })).body.hits;
    expect(hits[0]).toMatchObject({ document: { id: handbookId }, section: 'Returns' });
  });

  it('updates settings, and a deleted document leaves search', async () => {
    const patched = await stack.request('PATCH', `/v1/knowledge-bases/${kbId}`, { apiKey: tenantA.apiKey, body: { description: 'FAQ', retrieval: { textWeight: 0.5 } } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ description: 'FAQ', language: 'english', retrieval: { topK: 3, textWeight: 0.5, vectorWeight: 1 } });
    const bm25 = await stack.request('PATCH', `/v1/knowledge-bases/${kbId}`, { apiKey: tenantA.apiKey, body: { retrieval: { bm25K1: 0.9, bm25B: 0.4 } } });
    expect(bm25.body).toMatchObject({ retrieval: { bm25K1: 0.9, bm25B: 0.4, textWeight: 0.5 } });

    expect((await stack.request('DELETE', `/v1/documents/${parkingId}`, { apiKey: tenantA.apiKey })).status).toBe(204);
    expect((await getDocument(tenantA.apiKey, parkingId)).status).toBe(404);
    const hits = (await search(tenantA.apiKey, kbId, { query: 'validate parking ticket garage' })).body.hits;
    expect(hits.every((h: any) => h.document.id !== parkingId)).toBe(true);
  });

  it("hides one tenant's knowledge bases and documents from another", async () => {
    const b = tenantB.apiKey;
    expect((await stack.request('GET', `/v1/knowledge-bases/${kbId}`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('GET', '/v1/knowledge-bases', { apiKey: b })).body.knowledgeBases).toEqual([]);
    expect((await search(b, kbId, { query: 'opening hours' })).status).toBe(404);
    expect((await stack.request('GET', `/v1/knowledge-bases/${kbId}/documents`, { apiKey: b })).status).toBe(404);
    expect((await getDocument(b, handbookId)).status).toBe(404);
    expect((await stack.request('POST', `/v1/documents/${handbookId}/reindex`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('PATCH', `/v1/knowledge-bases/${kbId}`, { apiKey: b, body: { name: 'mine' } })).status).toBe(404);
    expect((await upload(b, kbId, { bytes: HANDBOOK, fileName: 'x.md', type: 'text/markdown' })).status).toBe(404);
    expect((await stack.request('DELETE', `/v1/documents/${handbookId}`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('DELETE', `/v1/knowledge-bases/${kbId}`, { apiKey: b })).status).toBe(404);
    expect((await getDocument(tenantA.apiKey, handbookId)).body.status).toBe('ready');
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = await stack.request('GET', '/docs/json');
    expect(doc.status).toBe(200);
    for (const path of ['/v1/knowledge-bases', '/v1/knowledge-bases/{id}/documents', '/v1/knowledge-bases/{id}/search', '/v1/documents/{id}', '/v1/documents/{id}/reindex']) {
      expect(doc.body.paths[path], path).toBeDefined();
    }
    expect(doc.body.paths['/v1/knowledge-bases/{id}/documents'].post.responses).toHaveProperty('415');
  });

  it('deletes a knowledge base with its documents', async () => {
    expect((await stack.request('DELETE', `/v1/knowledge-bases/${kbId}`, { apiKey: tenantA.apiKey })).status).toBe(204);
    expect((await stack.request('GET', `/v1/knowledge-bases/${kbId}`, { apiKey: tenantA.apiKey })).status).toBe(404);
    expect((await getDocument(tenantA.apiKey, handbookId)).status).toBe(404);
  });
});

describe('bad input', () => {
  let kbId: string;
  beforeAll(async () => {
    kbId = await createKb(tenantA.apiKey, 'Bad input');
  });

  const expectError = (res: { status: number; body: any }, status: number, field: string) => {
    expect(res.status).toBe(status);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.message).toBeTruthy();
  };
  const post = (body: unknown) => stack.request('POST', `/v1/knowledge-bases/${kbId}/documents`, { apiKey: tenantA.apiKey, body });

  it('refuses unsupported, oversize and empty uploads up front', async () => {
    const exe = await upload(tenantA.apiKey, kbId, { bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3]), fileName: 'setup.exe', type: 'application/x-msdownload' });
    expectError(exe, 415, 'file');
    expect(exe.body.error.code).toBe('unsupported_media_type');

    const huge = await upload(tenantA.apiKey, kbId, { bytes: new Uint8Array(25 * 1024 * 1024 + 1).fill(0x61), fileName: 'huge.txt', type: 'text/plain' });
    expectError(huge, 413, 'file');
    expect(huge.body.error.message).toMatch(/25 MB/);

    expectError(await upload(tenantA.apiKey, kbId, { bytes: '', fileName: 'empty.md', type: 'text/markdown' }), 400, 'file');
    const list = await stack.request('GET', `/v1/knowledge-bases/${kbId}/documents`, { apiKey: tenantA.apiKey });
    expect(list.body.documents).toEqual([]);
  });

  it('names the field of bad JSON documents, searches and knowledge bases', async () => {
    expectError(await post({ name: 'No text' }), 400, 'text');
    expectError(await post({ text: '   ', name: 'Blank' }), 400, 'text');
    expectError(await post({ text: 'Some text' }), 400, 'name');
    expectError(await post({ url: 'ftp://example.com/file.pdf' }), 400, 'url');
    expectError(await post({ url: 'not a url' }), 400, 'url');
    for (const url of ['https://example.com/menu%E0%A4%A.pdf', 'https://example.com/100%.pdf']) {
      const malformed = await post({ url });
      expectError(malformed, 400, 'url');
      expect(malformed.body.error.message).toMatch(/percent-encoding/);
      expectError(await post({ url, name: 'Menu' }), 400, 'url');
    }
    expectError(await search(tenantA.apiKey, kbId, { query: '' }), 400, 'query');
    expectError(await search(tenantA.apiKey, kbId, { query: 'x'.repeat(2001) }), 400, 'query');
    expectError(await stack.request('POST', '/v1/knowledge-bases', { apiKey: tenantA.apiKey, body: { name: '' } }), 400, 'name');
    expectError(await stack.request('POST', '/v1/knowledge-bases', { apiKey: tenantA.apiKey, body: { name: 'x', chunkSize: 100, chunkOverlap: 100 } }), 400, 'chunkOverlap');
    expectError(await stack.request('PATCH', `/v1/knowledge-bases/${kbId}`, { apiKey: tenantA.apiKey, body: {} }), 400, 'name');
    expectError(await stack.request('POST', '/v1/knowledge-bases', { apiKey: tenantA.apiKey, body: { name: 'x', language: 'klingon' } }), 400, 'language');
    expectError(await stack.request('PATCH', `/v1/knowledge-bases/${kbId}`, { apiKey: tenantA.apiKey, body: { retrieval: { bm25B: 2 } } }), 400, 'retrieval.bm25B');
  });

  it('shortens a long file or link name to fit, keeping the extension, and refuses a long name field', async () => {
    const longName = `${'menu-'.repeat(100)}.md`;
    const uploaded = await upload(tenantA.apiKey, kbId, { bytes: '# Menu\n\nSoup of the day.', fileName: longName, type: 'text/markdown' });
    expect(uploaded.status).toBe(202);
    const uploadedName = (await getDocument(tenantA.apiKey, uploaded.body.id)).body.name;
    expect(uploadedName).toHaveLength(200);
    expect(uploadedName).toMatch(/^menu-menu-.*…\.md$/);

    const linked = await post({ url: `https://example.com/${'%C3%A9'.repeat(300)}.pdf` });
    expect(linked.status).toBe(202);
    const linkedName = (await getDocument(tenantA.apiKey, linked.body.id)).body.name;
    expect([...linkedName]).toHaveLength(200);
    expect(linkedName).toMatch(/^éé.*…\.pdf$/);

    expectError(await upload(tenantA.apiKey, kbId, { bytes: 'text', fileName: 'a.txt', type: 'text/plain' }, 'n'.repeat(201)), 400, 'name');
    expectError(await post({ url: 'https://example.com/a.pdf', name: 'n'.repeat(300) }), 400, 'name');
    for (const id of [uploaded.body.id, linked.body.id]) await stack.request('DELETE', `/v1/documents/${id}`, { apiKey: tenantA.apiKey });
  });

  it('accepts an http(s) URL for the workflow to fetch', async () => {
    const res = await post({ url: 'http://127.0.0.1:9/handbook.html' });
    expect(res.status).toBe(202);
    const doc = (await getDocument(tenantA.apiKey, res.body.id)).body;
    expect(doc).toMatchObject({ sourceType: 'url', name: 'handbook.html', latestVersion: 1 });
    expect((await stack.request('DELETE', `/v1/documents/${res.body.id}`, { apiKey: tenantA.apiKey })).status).toBe(204);
  });

  it('marks a corrupt PDF failed with a reason a person can act on', async () => {
    const res = await upload(tenantA.apiKey, kbId, { bytes: '%PDF-1.7\nthis is not really a pdf', fileName: 'broken.pdf', type: 'application/pdf' });
    expect(res.status).toBe(202);
    const doc = await settled(tenantA.apiKey, res.body.id);
    expect(doc).toMatchObject({ status: 'failed', chunkCount: 0, activeVersion: null });
    expect(doc.error).toMatch(/PDF/);
  });
});
