/**
 * Which hosts flows may call: HTTP_ALLOWED_HOSTS ∪ the tenant's `settings.httpAllowedHosts`.
 * Entries are exact hosts or `*.example.com` (subdomains); `*` allows every host. Which addresses
 * may be reached is the guarded client's policy (net/address-policy.ts), not the tenant's: a
 * tenant's list never opens the internal network; the operator's can (a host listed explicitly in
 * HTTP_ALLOWED_HOSTS may be private, as may anything in OUTBOUND_ALLOWED_PRIVATE).
 */
import type { Config } from '../core/config';
import { hostListed, normalizeHost, type AddressPolicy } from './address-policy';

export class HostNotAllowedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostNotAllowedError';
  }
}

/** Throws HostNotAllowedError unless `url`'s host is on the list (checked on every redirect hop). */
export function assertHostListed(url: URL, allowed: readonly string[]): void {
  if (allowed.includes('*') || hostListed(url.hostname, allowed)) return;
  throw new HostNotAllowedError(`host ${normalizeHost(url.hostname)} is not on the allowlist`);
}

const policies = new WeakMap<Config, AddressPolicy>();

/** The address policy for flow requests and URL ingestion: the operator's private entries and hosts. */
export function flowPolicy(config: Config): AddressPolicy {
  let policy = policies.get(config);
  if (!policy) {
    const explicitHosts = config.HTTP_ALLOWED_HOSTS.filter((h) => h !== '*');
    policies.set(config, (policy = { allowedPrivate: [...config.OUTBOUND_ALLOWED_PRIVATE, ...explicitHosts] }));
  }
  return policy;
}
