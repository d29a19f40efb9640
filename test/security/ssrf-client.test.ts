/**
 * The guarded outbound client (net/): every refused address kind, the IPv6 transition forms,
 * host names resolving inward, redirects into the internal network, DNS rebinding (the connection
 * goes to the address that was checked), credentials on cross-origin redirects, and the size and
 * time limits.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAddress, nonPublicKind, OutboundRefusedError, resolveChecked, type AddressPolicy } from '../../net/address-policy';
import { guardedFetch, OutboundTimeoutError, ResponseTooLargeError, TooManyRedirectsError } from '../../net/guarded-fetch';
import { TRANSITION_FORMS } from './support';


let server: Server;
let port: number;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const u = new URL(req.url!, 'http://x');
    if (u.pathname === '/redirect') return res.writeHead(302, { location: u.searchParams.get('to')! }).end();
    if (u.pathname === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (u.pathname === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 97));
      return res.end();
    }
    if (u.pathname === '/slow') return setTimeout(() => res.end('late'), 2_000);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: u.pathname, authorization: req.headers.authorization ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const strict: AddressPolicy = { allowedPrivate: [] };

async function refusal(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundRefusedError);
  return err as OutboundRefusedError;
}

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['::7f00:1', 'notGlobal'],
    ['::ffff:127.0.0.1', 'ipv4Mapped'],
    ['64:ff9b::7f00:1', 'nat64'],
    ['2002:7f00:1::1', '6to4'],
    ['fec0::1', 'deprecatedSiteLocal'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(nonPublicKind(address)).toBe(kind);
    expect(() => checkAddress(strict, address, address)).toThrow(OutboundRefusedError);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])('lets the public address %s through', (address) => {
    expect(nonPublicKind(address)).toBeNull();
  });

  it('opens operator-listed ranges and hosts, but never metadata endpoints', () => {
    const policy: AddressPolicy = { allowedPrivate: ['10.0.0.0/8', 'ollama.internal', '169.254.0.0/16'] };
    expect(() => checkAddress(policy, 'x', '10.9.9.9')).not.toThrow();
    expect(() => checkAddress(policy, 'ollama.internal', '192.168.1.5')).not.toThrow();
    expect(() => checkAddress(policy, 'other.internal', '192.168.1.5')).toThrow(OutboundRefusedError);
    expect(() => checkAddress(policy, 'x', '169.254.169.254')).toThrow(/metadata/);
  });

  it('refuses a host when any of its addresses is internal', async () => {
    const resolve = async () => ['93.184.216.34', '127.0.0.1'];
    await refusal(resolveChecked({ allowedPrivate: [], resolve }, 'mixed.example'));
  });
});

describe('guardedFetch', () => {
  it('refuses a private address literal without connecting', async () => {
    const before = seen.length;
    await refusal(guardedFetch(`http://127.0.0.1:${port}/`, {}, { policy: strict }));
    expect(seen.length).toBe(before);
  });

  it('refuses a host name that resolves to loopback (the system resolver: localhost)', async () => {
    const err = await refusal(guardedFetch(`http://localhost:${port}/`, {}, { policy: strict }));
    expect(err.reason).toBe('loopback');
  });

  it.each(TRANSITION_FORMS)('refuses the IPv6 form %s, as a literal and as a DNS answer', async (address) => {
    await refusal(guardedFetch(`http://[${address}]:${port}/`, {}, { policy: strict }));
    await refusal(guardedFetch(`http://v6.example:${port}/`, {}, { policy: { allowedPrivate: [], resolve: async () => [address] } }));
  });

  it('fetches from an allow-listed private address', async () => {
    const res = await guardedFetch(`http://127.0.0.1:${port}/ok`, {}, { policy: { allowedPrivate: ['127.0.0.1'] } });
    expect(await res.json()).toMatchObject({ path: '/ok' });
  });

  it('refuses a redirect to a private address, hop by hop', async () => {
    // The first host is allow-listed by name; the hop to the bare loopback address is not.
    const policy: AddressPolicy = { allowedPrivate: ['fake.test'], resolve: async () => ['127.0.0.1'] };
    const to = encodeURIComponent(`http://127.0.0.1:${port}/secret`);
    const before = seen.length;
    await refusal(guardedFetch(`http://fake.test:${port}/redirect?to=${to}`, {}, { policy }));
    expect(seen.slice(before).map((r) => r.url)).toEqual([`/redirect?to=${to}`]);
    // And to the metadata service.
    await refusal(guardedFetch(`http://fake.test:${port}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`, {}, { policy }));
  });

  it('connects to the checked address: a rebinding resolver is asked once and its second answer is never used', async () => {
    const answers = ['127.0.0.1', '10.0.0.1'];
    let calls = 0;
    const policy: AddressPolicy = { allowedPrivate: ['127.0.0.1/32'], resolve: async () => [answers[Math.min(calls++, 1)]] };
    const res = await guardedFetch(`http://rebind.test:${port}/rebound`, {}, { policy });
    expect(await res.json()).toMatchObject({ path: '/rebound' });
    expect(calls).toBe(1);
    // A fresh policy whose first answer is already the internal one is refused.
    await refusal(guardedFetch(`http://rebind2.test:${port}/`, {}, { policy: { allowedPrivate: ['127.0.0.1/32'], resolve: async () => ['10.0.0.1'] } }));
  });

  it('drops credentials when a redirect changes origin, and stops after the hop limit', async () => {
    const policy: AddressPolicy = { allowedPrivate: ['127.0.0.1', 'a.test', 'b.test'], resolve: async () => ['127.0.0.1'] };
    const to = encodeURIComponent(`http://b.test:${port}/landed`);
    const res = await guardedFetch(`http://a.test:${port}/redirect?to=${to}`, { headers: { authorization: 'Bearer secret' } }, { policy });
    expect(await res.json()).toEqual({ path: '/landed', authorization: null });
    await expect(guardedFetch(`http://a.test:${port}/loop`, {}, { policy, maxRedirects: 3 })).rejects.toBeInstanceOf(TooManyRedirectsError);
  });

  it('caps the body while streaming and enforces the deadline', async () => {
    const policy: AddressPolicy = { allowedPrivate: ['127.0.0.1'] };
    const res = await guardedFetch(`http://127.0.0.1:${port}/big`, {}, { policy, maxBytes: 10_000 });
    await expect(res.arrayBuffer()).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(guardedFetch(`http://127.0.0.1:${port}/slow`, {}, { policy, timeoutMs: 200 })).rejects.toBeInstanceOf(OutboundTimeoutError);
  });

  it('refuses schemes other than http and https', async () => {
    await refusal(guardedFetch('file:///etc/passwd', {}, { policy: strict }));
  });
});
