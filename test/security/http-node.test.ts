/**
 * The httpRequest node's builder-authored parts: response mappings run with a deadline, a depth
 * limit and linear-time regexes (a runaway expression fails the node instead of holding the
 * worker's event loop), and URL templates encode each variable for its part of the URL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderUrlTemplate, UrlTemplateError } from '../../core/url-template';
import { MAPPING_DEADLINE_MS } from '../../activities/http/mapping';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';

let deps: TestDeps;
let server: Server;
let base: string;

beforeAll(async () => {
  deps = await testDeps();
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ s: `${'a'.repeat(40)}!`, n: 3 })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await deps.close();
});

describe('response mappings', () => {
  const run = async (expression: string) => {
    const t = await makeTenant(deps.orm, { httpAllowedHosts: ['127.0.0.1'] });
    const started = Date.now();
    const result = await activitiesFor(deps).httpRequest({ tenantId: t.tenantId, nodeId: 'http', method: 'GET', url: `${base}/data`, headers: {}, timeoutMs: 5000, responseMapping: { x: expression } });
    return { result, ms: Date.now() - started };
  };

  it.each([
    ['exponential recursion', '($f := function($n) { $n > 0 ? $f($n - 1) + $f($n - 1) : 1 }; $f(60))', /ran longer than/],
    ['a loop over a large range', '$sum($map([1..10000000], function($v) { $v * 2 }))', /ran longer than/],
    ['unbounded recursion', '($f := function($n) { $f($n + 1) }; $f(0))', /nested deeper than|ran longer than/],
  ])('fails the node cleanly on %s, within the deadline', async (_name, expression, reason) => {
    const { result, ms } = await run(expression);
    expect(result).toMatchObject({ ok: false, status: 200, error: expect.stringMatching(reason) });
    expect(ms).toBeLessThan(MAPPING_DEADLINE_MS + 1500);
  });

  it('runs regexes in linear time: a catastrophic pattern answers at once', async () => {
    const { result, ms } = await run('$contains(body.s, /(a+)+$/)');
    expect(result).toEqual({ ok: true, status: 200, variables: { x: false } });
    expect(ms).toBeLessThan(1000);
  });

  it('keeps ordinary mappings and regex functions working', async () => {
    const { result } = await run('{"m": $count($match(body.s, /a{2}/)), "r": $replace("a-b-c", /-/, "+"), "n": body.n * 2}');
    expect(result).toEqual({ ok: true, status: 200, variables: { x: { m: 20, r: 'a+b+c', n: 6 } } });
  });
});

describe('URL templates', () => {
  it('keeps a variable inside its path segment or query value', () => {
    const vars = { id: '../admin?x#', q: 'a&b=c#d', name: 'Zoë Ångström' };
    const url = renderUrlTemplate('https://api.example.com/orders/{{id}}?q={{q}}&n={{name}}', vars);
    expect(url).toBe('https://api.example.com/orders/..%2Fadmin%3Fx%23?q=a%26b%3Dc%23d&n=Zo%C3%AB%20%C3%85ngstr%C3%B6m');
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/orders/..%2Fadmin%3Fx%23');
    expect([...parsed.searchParams.keys()]).toEqual(['q', 'n']);
    expect(parsed.searchParams.get('q')).toBe('a&b=c#d');
    expect(parsed.hash).toBe('');
  });

  it('refuses a dot segment and a host that is not a host name, and allows a host and port', () => {
    expect(() => renderUrlTemplate('https://api.example.com/orders/{{id}}/items', { id: '..' })).toThrow(UrlTemplateError);
    expect(() => renderUrlTemplate('https://{{host}}/x', { host: 'evil.example/steal?' })).toThrow(UrlTemplateError);
    expect(renderUrlTemplate('https://{{host}}/x/{{id}}', { host: 'shop.example:8443', id: 'a.b' })).toBe('https://shop.example:8443/x/a.b');
    expect(renderUrlTemplate('https://x.example/#{{f}}', { f: 'a b#c' })).toBe('https://x.example/#a%20b%23c');
  });

  it('leaves a template without variables, and raw triple braces, as written', () => {
    expect(renderUrlTemplate('https://x.example/a?b=c', {})).toBe('https://x.example/a?b=c');
    expect(renderUrlTemplate('https://x.example/{{{path}}}', { path: 'a/b?c=1' })).toBe('https://x.example/a/b?c=1');
  });
});
