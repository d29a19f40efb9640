/**
 * The certificate a site presents, read with a TLS handshake of its own: the guarded client
 * refuses an invalid certificate (as a browser would), so it cannot say *why* or until when. The
 * host is resolved through the same address policy (net/address-policy.ts) and the socket
 * connects to the checked address, sending the host name as SNI; nothing is sent over it.
 */
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import type { Config } from '../core/config';
import { configPolicy, normalizeHost, resolveChecked } from '../net/address-policy';

export interface CertificateFacts {
  /** Trusted by the platform's CA store, for this host name. */
  authorized: boolean;
  /** OpenSSL's reason when not authorized (`CERT_HAS_EXPIRED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`…). */
  authorizationError: string | null;
  validFrom: string | null;
  validTo: string | null;
  issuer: string | null;
  subject: string | null;
  protocol: string | null;
}

const first = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));
const nameOf = (dn: PeerCertificate['issuer'] | undefined): string | null => (dn ? (first(dn.O) ?? first(dn.CN)) : null);
const isoOf = (date: string | undefined) => (date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : null);

/** Handshakes with `url`'s host; throws when it cannot connect or the policy refuses the host. */
export async function probeCertificate(config: Config, url: URL, timeoutMs: number): Promise<CertificateFacts> {
  const host = normalizeHost(url.hostname);
  const [address] = await resolveChecked(configPolicy(config), host);
  const port = Number(url.port || 443);
  const isName = !/^[\d.]+$/.test(host) && !host.includes(':');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port, servername: isName ? host : undefined, rejectUnauthorized: false, timeout: timeoutMs });
    const done = (err: Error | null, facts?: CertificateFacts) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(facts!);
    };
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      let authorizationError = socket.authorizationError ? String((socket.authorizationError as Error & { code?: string }).code ?? socket.authorizationError) : null;
      let authorized = socket.authorized;
      // Node checks the chain; the name is checked here the way undici would (an IP literal against its IP SANs).
      if (authorized && cert && Object.keys(cert).length > 0) {
        const mismatch = checkServerIdentity(host, cert);
        if (mismatch) [authorized, authorizationError] = [false, (mismatch as Error & { code?: string }).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID'];
      }
      done(null, {
        authorized,
        authorizationError,
        validFrom: isoOf(cert?.valid_from),
        validTo: isoOf(cert?.valid_to),
        issuer: nameOf(cert?.issuer),
        subject: first(cert?.subject?.CN),
        protocol: socket.getProtocol(),
      });
    });
    socket.once('timeout', () => done(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.once('error', (err) => done(err));
  });
}
