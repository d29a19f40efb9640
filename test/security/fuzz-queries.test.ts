/**
 * Malformed query strings and path parameters on every documented GET route: a client error in
 * the error shape, never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { answer, fault, tenantFixture, type Fixture } from './support';

let stack: Stack;
let t: Fixture;
let paths: string[] = [];

const QUERIES = [
  'cursor=garbage&pageToken=%ff%fe',
  'limit=-1&offset=abc',
  'limit=99999999999999999999',
  'status=%00&channel=%27%22&type=%5C',
  'from=yesterday&to=2020-13-45',
  'q=%00&query=' + 'x'.repeat(5_000),
  'since=not-a-uuid&flowId=%27',
  'includeTest=maybe&version=-1',
  'a[b][c][d]=1&a[b]=2',
];
const PATH_VALUES = ['%00', '%27%20OR%201%3D1', '..%2F..%2Fetc', 'x'.repeat(400), '00000000-0000-0000-0000-000000000000', '%ED%A0%80'];

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  t = await tenantFixture(stack);
  const spec = (await (await fetch(`${stack.url}/docs/json`, { headers: { authorization: `Bearer ${t.apiKey}` } })).json()) as { paths: Record<string, Record<string, unknown>> };
  paths = Object.entries(spec.paths)
    .filter(([, methods]) => 'get' in methods)
    .map(([path]) => path)
    // Sockets and the long-poll free routes are covered elsewhere.
    .filter((p) => !['/v1/chat', '/v1/inbox/live'].includes(p));
});
afterAll(async () => {
  await stack?.close();
});

describe('malformed queries and path parameters on every GET route', () => {
  it('answers each without a 5xx, errors in the error shape', async () => {
    expect(paths.length).toBeGreaterThan(20);
    const broken: string[] = [];
    for (const path of paths) {
      const attempts = [
        ...QUERIES.map((q) => `${path.replace(/\{\w+\}/g, '00000000-0000-0000-0000-000000000000')}?${q}`),
        ...(path.includes('{') ? PATH_VALUES.map((v) => path.replace(/\{\w+\}/g, v)) : []),
      ];
      for (const url of attempts) {
        const res = await answer(stack.url + url, { headers: { authorization: `Bearer ${t.apiKey}` } });
        const problem = fault(res);
        if (problem) broken.push(`GET ${url.slice(0, 120)} → ${res.status} ${res.text.slice(0, 160)} (${problem})`);
      }
    }
    expect(broken).toEqual([]);
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
  }, 300_000);
});
