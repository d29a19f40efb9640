/**
 * Which addresses the platform may connect to. Only global unicast addresses pass: private,
 * loopback, link-local, unique-local, CGNAT, multicast, unspecified, reserved and documentation
 * ranges are refused, and so is every IPv6 form that embeds or tunnels an IPv4 address
 * (IPv4-mapped `::ffff:0:0/96`, IPv4-compatible `::/96` such as `::7f00:1`, NAT64 `64:ff9b::/96`,
 * 6to4 `2002::/16`, Teredo) and site-local `fec0::/10`, since each can reach an internal IPv4 host.
 * The operator may open private ranges or hosts (a local Ollama) with OUTBOUND_ALLOWED_PRIVATE;
 * cloud metadata endpoints stay refused even then.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import type { Config } from '../core/config';

export type Resolver = (host: string) => Promise<string[]>;

export interface AddressPolicy {
  /** CIDRs, addresses, host names or `*.suffix` that may resolve to non-public addresses. */
  allowedPrivate: readonly string[];
  /** Host name → addresses; the system resolver unless a test injects one. */
  resolve?: Resolver;
}

/** Why a connection was refused; `reason` is a fixed word, safe to show a tenant. */
export class OutboundRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`${host} is not reachable from the platform (${reason} address)`);
    this.name = 'OutboundRefusedError';
  }
}

/** Metadata services answer credentials to anyone who asks: never allow-listed by a range. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16', 'fd00:ec2::254']);
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

export const normalizeHost = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

/** Null for a public address; otherwise the kind of address it is (`loopback`, `private`, `6to4`…). */
export function nonPublicKind(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(normalizeHost(address).replace(/%.*$/, ''));
  } catch {
    return 'invalid';
  }
  if (METADATA.has(ip.toNormalizedString()) || METADATA.has(ip.toString())) return 'metadata';
  if (ip.kind() === 'ipv4') {
    const range = ip.range();
    return range === 'unicast' ? null : range;
  }
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  if (range !== 'unicast') return range === 'rfc6052' ? 'nat64' : range;
  // Unassigned space, including the IPv4-compatible ::/96 (`::7f00:1` is 127.0.0.1).
  return v6.match(GLOBAL_UNICAST_V6) ? null : 'notGlobal';
}

function listedCidr(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  try {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const ip = ipaddr.parse(normalizeHost(entry));
    return [ip, ip.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** True when `host` matches a host entry (`name` or `*.suffix`). */
export function hostListed(host: string, entries: readonly string[]): boolean {
  const h = normalizeHost(host);
  return entries.some((raw) => {
    const e = normalizeHost(raw.trim());
    return e === h || (e.startsWith('*.') && h.endsWith(e.slice(1)));
  });
}

function allowListed(policy: AddressPolicy, host: string, address: string): boolean {
  if (hostListed(host, policy.allowedPrivate)) return true;
  const ip = ipaddr.parse(normalizeHost(address).replace(/%.*$/, ''));
  return policy.allowedPrivate.some((entry) => {
    const cidr = listedCidr(entry.trim());
    return cidr !== null && ip.kind() === cidr[0].kind() && ip.match(cidr);
  });
}

/** Throws OutboundRefusedError unless `host` (which resolved to `address`) may be connected to. */
export function checkAddress(policy: AddressPolicy, host: string, address: string): void {
  const kind = nonPublicKind(address);
  if (kind === null) return;
  if (kind !== 'metadata' && kind !== 'invalid' && allowListed(policy, host, address)) return;
  throw new OutboundRefusedError(normalizeHost(host), kind);
}

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Every address of `host`, each checked; any refused address refuses the host (one answer may
 * not smuggle in another). An address literal is checked as itself, without a lookup.
 */
export async function resolveChecked(policy: AddressPolicy, host: string): Promise<string[]> {
  const name = normalizeHost(host);
  const addresses = ipaddr.isValid(name) ? [name] : await (policy.resolve ?? systemResolver)(name);
  if (addresses.length === 0) throw new OutboundRefusedError(name, 'unresolvable');
  for (const address of addresses) checkAddress(policy, name, address);
  return addresses;
}

const fromConfig = new WeakMap<Config, AddressPolicy>();

/** The deployment's policy (one object per config, so the connection pool built on it is shared). */
export function configPolicy(config: Config): AddressPolicy {
  let policy = fromConfig.get(config);
  if (!policy) fromConfig.set(config, (policy = { allowedPrivate: config.OUTBOUND_ALLOWED_PRIVATE }));
  return policy;
}
