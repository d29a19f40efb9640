/**
 * URL documents: fetched from a local server (a loopback address the test setup's operator
 * allow-list opens, 127.0.0.1 only), redirects followed, unsupported and oversized bodies refused,
 * any other internal address refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { systemEm, tenantEm } from '../../db/orm';
import { getDocumentSource, updateTenantSettings } from '../../db/repos';
import { startStack, type Stack } from '../support/stack';
import { addDocument, chunkRows, documentRow, ingest, markdownGuide, search, token } from './support';

let stack: Stack;
let server: Server;
let base: string;
const tag = token();
const paths: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/guide.md') return res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(markdownGuide(tag, 2, 2));
    if (req.url === '/to-malformed') return res.writeHead(302, { location: '/menu%E0%A4%A.md' }).end();
    if (req.url === '/moved') return res.writeHead(302, { location: '/guide.md' }).end();
    if (req.url === '/logo.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(1000));
    if (req.url === '/huge.txt') {
      // No content-length: the limit must hold while streaming.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const block = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < 30 && res.write(block)) sent++;
        if (sent < 30) res.once('drain', pump);
        else res.end();
      };
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stack = await startStack({ ...sharedServers(), env: { HTTP_ALLOWED_HOSTS: '' } });
});
afterAll(async () => {
  await stack?.close();
  server?.closeAllConnections();
  server?.close();
});

async function allowLoopbackTenant() {
  const { tenantId } = await stack.createTenant();
  await updateTenantSettings(systemEm(stack.orm), tenantId, { httpAllowedHosts: ['127.0.0.1'] });
  return tenantId;
}

async function ingestUrl(tenantId: string, path: string, origin = base) {
  const ref = await addDocument(stack, tenantId, { name: path.slice(1), mimeType: 'application/octet-stream', sourceUrl: origin + path });
  return { ref, result: await ingest(stack, tenantId, ref, 1, 'url') };
}

it('fetches an allow-listed URL through a redirect and indexes it', async () => {
  const tenantId = await allowLoopbackTenant();
  const { ref, result } = await ingestUrl(tenantId, '/moved');
  expect(result).toMatchObject({ status: 'ready', error: null });
  const doc = await documentRow(stack, tenantId, ref.documentId);
  expect(doc).toMatchObject({ status: 'ready', mimeType: 'text/markdown', byteSize: Buffer.byteLength(markdownGuide(tag, 2, 2)) });
  const source = await getDocumentSource(tenantEm(stack.orm, tenantId), ref.documentId, 1);
  expect(Buffer.from(source!.content!).toString('utf8')).toBe(markdownGuide(tag, 2, 2));
  expect((await search(stack, tenantId, ref.knowledgeBaseId, `topic 2 ${tag}`))[0]?.section).toBe(`Topic 2 ${tag}`);
});

it('refuses a private address that is not allow-listed, even when the tenant lists it', async () => {
  const tenantId = await allowLoopbackTenant();
  const { ref, result } = await ingestUrl(tenantId, '/guide.md', base.replace('127.0.0.1', '127.0.0.2'));
  expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/127\.0\.0\.2 is not reachable from the platform \(loopback address\)/) });
  expect(await documentRow(stack, tenantId, ref.documentId)).toMatchObject({ status: 'failed', error: result.error });
  expect(await chunkRows(stack, tenantId, ref.documentId)).toEqual([]);
});

it.each([
  ['/logo.png', /image\/png.*cannot be added/],
  ['/huge.txt', /larger than the 25 MB limit/],
  ['/missing.md', /HTTP 404/],
])('refuses %s', async (path, reason) => {
  const tenantId = await allowLoopbackTenant();
  const { result } = await ingestUrl(tenantId, path);
  expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(reason) });
});

it.each(['/menu%E0%A4%A.md', '/to-malformed'])('fails %s, whose path does not decode, once and with the reason', async (path) => {
  const tenantId = await allowLoopbackTenant();
  const before = paths.length;
  const { ref, result } = await ingestUrl(tenantId, path);
  expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/malformed percent-encoding \("menu%E0%A4%A\.md"\)/) });
  expect(await documentRow(stack, tenantId, ref.documentId)).toMatchObject({ status: 'failed', error: result.error });
  // Not retried, and the malformed target itself is never requested.
  expect(paths.slice(before)).toEqual(path === '/to-malformed' ? ['/to-malformed'] : []);
});
