/**
 * Bulk import through the API, the `ingestBatch` workflows and a real worker on PostgreSQL: a CSV
 * FAQ export of 1,200 rows (three batches) becomes 1,200 searchable documents, bad rows reported
 * by row and field; JSONL and JSON the same way; whole-file problems are 400s naming the field;
 * another tenant can neither read the import nor import into the knowledge base; a viewer cannot import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantEm } from '../../db/orm';
import { IngestClient } from '../../temporal/ingest';
import { signedIn } from '../console-api/support';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

let stack: Stack;
let apiKey: string;
let tenantId: string;
let kbId: string;

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey, tenantId } = await stack.createTenant());
  const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'FAQ' } });
  kbId = kb.body.id;
});
afterAll(async () => {
  await stack?.close();
});

async function upload(key: string, kb: string, fileName: string, content: string, type = 'text/csv') {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), fileName);
  const res = await fetch(`${stack.url}/v1/knowledge-bases/${kb}/documents:bulk`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  return { status: res.status, body: await res.json() };
}

async function settled(importId: string) {
  let progress: any;
  await waitUntil(async () => {
    progress = (await stack.request('GET', `/v1/knowledge-bases/${kbId}/imports/${importId}`, { apiKey })).body;
    return progress.done;
  }, 120_000, `import ${importId} to finish`);
  return progress;
}

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe('bulk import', () => {
  it('imports a 1,200-row CSV FAQ in three batches, reporting the rows it cannot import', async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => [`How do I reach branch ${i}?`, `Branch ${i} answers on line zq${i}x, "weekdays", 9 to 5.`]);
    const csv = ['Question,Answer', ...rows.map((r) => r.map(csvField).join(',')), 'Where is the empty one?,', ',   '].join('\n');
    const res = await upload(apiKey, kbId, 'faq.csv', csv);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 1_200, rejected: [{ row: 1_201, field: 'text' }, { row: 1_202, field: 'text' }] });
    expect(res.body.workflowIds).toHaveLength(3);

    const progress = await settled(res.body.id);
    expect(progress).toMatchObject({ total: 1_200, ready: 1_200, failed: 0, pending: 0, done: true, failures: [] });

    // The question is the name, and its words are searchable with the answer.
    const hit = await stack.request('POST', `/v1/knowledge-bases/${kbId}/search`, { apiKey, body: { query: 'line zq777x' } });
    expect(hit.status).toBe(200);
    expect(hit.body.hits[0]).toMatchObject({ document: { name: 'How do I reach branch 777?' } });
    expect(hit.body.hits[0].text).toContain('How do I reach branch 777?');
  }, 180_000);

  it('takes JSONL (a bad line reported by line) and JSON', async () => {
    const jsonl = [JSON.stringify({ title: 'Parking', content: 'Free parking behind the kq1 building.' }), '{not json', JSON.stringify({ text: 'Wifi password is on the kq2 receipt.' }), '[1]'].join('\n');
    const res = await upload(apiKey, kbId, 'faq.jsonl', jsonl, 'application/x-ndjson');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 2, rejected: [{ row: 2, field: 'line', message: 'not valid JSON' }, { row: 4, field: 'line' }] });
    expect(await settled(res.body.id)).toMatchObject({ ready: 2, failed: 0, rejected: [{ row: 2 }, { row: 4 }] });

    const json = await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents:bulk`, { apiKey, body: { documents: [{ name: 'Pets', text: 'Dogs kq3 welcome on the terrace.' }] } });
    expect(json.status).toBe(202);
    expect(await settled(json.body.id)).toMatchObject({ ready: 1 });
    const docs = (await stack.request('GET', `/v1/knowledge-bases/${kbId}/documents`, { apiKey })).body.documents;
    expect(docs.filter((d: any) => ['Parking', 'Pets'].includes(d.name) || d.name.startsWith('Wifi'))).toHaveLength(3);
  }, 120_000);

  it('refuses whole-file problems with a 400 naming the field', async () => {
    const noText = await upload(apiKey, kbId, 'x.csv', 'name,price\nSoup,4');
    expect(noText.status).toBe(400);
    expect(noText.body.error).toMatchObject({ field: 'file' });
    expect(noText.body.error.message).toContain('text column');

    const allBad = await upload(apiKey, kbId, 'x.jsonl', '{"text": ""}\n', 'application/x-ndjson');
    expect(allBad.status).toBe(400);
    expect(allBad.body.error).toMatchObject({ field: 'text' });

    const empty = await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents:bulk`, { apiKey, body: { documents: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('documents');

    const nothing = await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents:bulk`, { apiKey });
    expect(nothing.status).toBe(400);
  });

  it('fails the documents no workflow could be started for, so the import still ends', async () => {
    const startBatch = IngestClient.prototype.startBatch;
    IngestClient.prototype.startBatch = async () => {
      throw new Error('Temporal is away');
    };
    try {
      const res = await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents:bulk`, { apiKey, body: { documents: [{ name: 'Orphan one', text: 'First.' }, { name: 'Orphan two', text: 'Second.' }] } });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      IngestClient.prototype.startBatch = startBatch;
    }
    const rows = await tenantEm(stack.orm, tenantId).execute<{ status: string; error: string }[]>(`select status, error from documents where tenant_id = ? and name like 'Orphan %'`, [tenantId]);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ status: 'failed', error: expect.stringContaining('could not be started') });
  });

  it('keeps imports to their tenant and to builders', async () => {
    const res = await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents:bulk`, { apiKey, body: { documents: [{ text: 'Private kq9 note.' }] } });
    expect(res.status).toBe(202);
    const other = await stack.createTenant();
    expect((await stack.request('GET', `/v1/knowledge-bases/${kbId}/imports/${res.body.id}`, { apiKey: other.apiKey })).status).toBe(404);
    expect((await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents:bulk`, { apiKey: other.apiKey, body: { documents: [{ text: 'x' }] } })).status).toBe(404);
    // The import id under another of the owner's knowledge bases is not found either.
    const kb2 = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Other' } });
    expect((await stack.request('GET', `/v1/knowledge-bases/${kb2.body.id}/imports/${res.body.id}`, { apiKey })).status).toBe(404);

    const viewer = await signedIn(stack, apiKey, 'viewer');
    expect((await viewer.request('POST', `/v1/knowledge-bases/${kbId}/documents:bulk`, { body: { documents: [{ text: 'x' }] } })).status).toBe(403);
    expect((await viewer.request('GET', `/v1/knowledge-bases/${kbId}/imports/${res.body.id}`)).status).toBe(200);
  });
});
