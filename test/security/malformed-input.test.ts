/**
 * Requests that used to end in a 500: deep JSON, multipart without a boundary, a runs cursor or
 * status filter Temporal refuses. Each is a 400 with the error shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { answer, tenantFixture, type Fixture } from './support';

let stack: Stack;
let t: Fixture;

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  t = await tenantFixture(stack);
});
afterAll(async () => {
  await stack?.close();
});

const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  answer(stack.url + path, { method, body, headers: { authorization: `Bearer ${t.apiKey}`, ...headers } });

function expectClientError(res: { status: number; body: any; text: string }, status = 400) {
  expect(res.status, res.text).toBe(status);
  expect(res.body?.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe('deep JSON', () => {
  it('refuses a body nested deeper than the limit with a 400 naming it', async () => {
    for (const body of [nested(5_000), nested(200), '{"a":'.repeat(3_000) + '1' + '}'.repeat(3_000)]) {
      const res = await call('POST', '/v1/flows', body, { 'content-type': 'application/json' });
      expectClientError(res);
      expect(res.body.error.message).toMatch(/nest/i);
    }
  });

  it('still accepts ordinary nesting and braces inside strings', async () => {
    const res = await call('POST', '/v1/canned-responses', JSON.stringify({ shortcut: 'braces', text: '[[[[{{{{'.repeat(100) }), { 'content-type': 'application/json' });
    expect(res.status, res.text).toBe(201);
  });
});

describe('multipart', () => {
  const noBoundary = { 'content-type': 'multipart/form-data' };
  const garbage = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello';

  it('refuses a document upload without a boundary or with a broken body', async () => {
    expectClientError(await call('POST', `/v1/knowledge-bases/${t.ids.knowledgeBase}/documents`, garbage, noBoundary));
    expectClientError(await call('POST', `/v1/knowledge-bases/${t.ids.knowledgeBase}/documents`, garbage, { 'content-type': 'multipart/form-data; boundary=x' }));
  });

  it('refuses a widget upload without a boundary', async () => {
    expectClientError(await answer(`${stack.url}/v1/widget/uploads`, { method: 'POST', body: garbage, headers: { ...noBoundary, authorization: `Bearer ${t.visitorToken}` } }));
  });
});

describe('GET /v1/runs', () => {
  it('refuses a cursor Temporal cannot read', async () => {
    for (const cursor of ['garbage', 'AAAA', '%00%ff']) {
      const res = await call('GET', `/v1/runs?cursor=${cursor}`);
      expectClientError(res);
      expect(res.body.error.field).toBe('cursor');
    }
  });

  it('refuses a status filter it does not know', async () => {
    for (const status of ["it's", 'a\\', '%00', 'Running%20OR%201%3D1', 'nope']) {
      const res = await call('GET', `/v1/runs?status=${status}`);
      expectClientError(res);
      expect(res.body.error.field).toBe('status');
    }
  });

  it('still filters by a known status; a stage is answered, never with a 500', async () => {
    expect((await call('GET', '/v1/runs?status=running')).status).toBe(200);
    expect((await call('GET', '/v1/runs?status=Completed')).status).toBe(200);
    expect((await call('GET', '/v1/runs?status=waiting')).status).toBeLessThan(500);
  });
});
