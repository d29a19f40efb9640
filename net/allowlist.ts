/**
 * Which hosts flows may call: HTTP_ALLOWED_HOSTS ∪ the tenant's `settings.httpAllowedHosts`.
 * Entries are exact hosts or `*.example.com` (subdomains); `*` allows every public host. Private,
 * loopback and link-local addresses are refused unless the host is listed explicitly, so a
 * wildcard never opens the internal network (cloud metadata, Redis, the database…).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class HostNotAllowedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostNotAllowedError';
  }
}

const normalize = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

function explicitlyListed(host: string, allowed: string[]): boolean {
  return allowed.some((entry) => {
    const e = normalize(entry);
    return e === host || (e.startsWith('*.') && host.endsWith(e.slice(1)));
  });
}

/** Throws HostNotAllowedError unless `url` may be called; resolves the host to check its addresses. */
export async function assertHostAllowed(url: URL, allowed: string[], resolve: (host: string) => Promise<string[]> = resolveAll): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HostNotAllowedError(`protocol ${url.protocol} is not allowed`);
  const host = normalize(url.hostname);
  if (explicitlyListed(host, allowed)) return;
  if (!allowed.includes('*')) throw new HostNotAllowedError(`host ${host} is not on the allowlist`);
  const addresses = isIP(host) ? [host] : await resolve(host);
  if (addresses.some(isPrivateAddress)) throw new HostNotAllowedError(`host ${host} resolves to a private address; list it explicitly to allow it`);
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}
