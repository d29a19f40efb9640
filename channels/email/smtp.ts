/**
 * Outbound SMTP through nodemailer, one short-lived connection per send (bot replies are few and
 * far between; a pool would hold sockets open to every tenant's server). The host is resolved once
 * through the address policy (net/address-policy.ts) and nodemailer connects to that checked
 * address, presenting and verifying the host name for TLS. Failures map to ProviderError by SMTP
 * semantics: 4xx replies and network trouble are temporary (retry), 5xx replies, rejected
 * credentials, refused addresses and a certificate the platform does not trust (self-signed,
 * unknown CA, expired, another host's) are permanent: no retry changes the certificate.
 */
import { isIP } from 'node:net';
import type Mail from 'nodemailer/lib/mailer';
import { normalizeHost, OutboundRefusedError, resolveChecked, type AddressPolicy } from '../../net/address-policy';
import { ProviderError } from '../types';

export interface SmtpServer {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  requireTls?: boolean;
  user?: string;
  pass?: string;
}

const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL']);
/** OpenSSL's verification codes (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED…) and Node's host name check. */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|ALTNAME|HOSTNAME_MISMATCH/;
const UNTRUSTED = 'the server’s TLS certificate is not trusted';

async function transportFor(server: SmtpServer, policy: AddressPolicy) {
  const host = normalizeHost(server.host);
  const [address] = await resolveChecked(policy, host);
  // Loaded at the first send: most processes never speak SMTP (~26 MB with its dependencies).
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: address,
    ...(isIP(host) ? {} : { servername: host }),
    port: server.port,
    secure: server.secure ?? false,
    requireTLS: server.requireTls ?? false,
    ...(server.user ? { auth: { user: server.user, pass: server.pass ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Messages are built from flow output: never let it read local files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

export async function sendSmtp(server: SmtpServer, policy: AddressPolicy, mail: Mail.Options): Promise<void> {
  let transport: Awaited<ReturnType<typeof transportFor>>;
  try {
    transport = await transportFor(server, policy);
  } catch (err) {
    if (err instanceof OutboundRefusedError) throw new ProviderError(err.message, false, { code: 'refused' });
    throw new ProviderError(`SMTP host ${server.host} could not be resolved`, true, { code: 'EDNS' });
  }
  try {
    await transport.sendMail(mail);
  } catch (err) {
    throw smtpProviderError(err as SmtpError);
  } finally {
    transport.close();
  }
}

/**
 * The SMTP handshake, STARTTLS and AUTH, without sending anything. The result is one of a fixed
 * set of sentences (never the server's banner or reply text), and every network failure reads the
 * same, so the test cannot serve as a port scanner.
 */
export async function verifySmtp(server: SmtpServer, policy: AddressPolicy): Promise<{ ok: boolean; detail: string }> {
  let transport: Awaited<ReturnType<typeof transportFor>>;
  try {
    transport = await transportFor(server, policy);
  } catch (err) {
    return { ok: false, detail: err instanceof OutboundRefusedError ? err.message : `${server.host} could not be resolved` };
  }
  try {
    await transport.verify();
    return { ok: true, detail: `${server.host}:${server.port} accepted the connection${server.user ? ' and the credentials' : ''}` };
  } catch (err) {
    return { ok: false, detail: verifyOutcome(err as SmtpError) };
  } finally {
    transport.close();
  }
}

function verifyOutcome(err: SmtpError): string {
  if (err.code === 'EAUTH') return `the server refused the credentials${err.responseCode ? ` (SMTP ${err.responseCode})` : ''}`;
  if (untrustedCertificate(err)) return UNTRUSTED;
  if (err.code === 'ETLS') return 'the TLS handshake failed';
  if (err.responseCode) return `the server refused the session (SMTP ${err.responseCode})`;
  return 'could not connect to the SMTP server';
}

interface SmtpError extends Error {
  code?: string;
  /** The socket's own code when nodemailer files it under ESOCKET or ETLS. */
  originalCode?: string;
  responseCode?: number;
  response?: string;
}

/** Nodemailer reports a refused certificate as a socket error; the TLS layer's code tells it apart. */
const untrustedCertificate = (err: SmtpError) => CERTIFICATE_CODE.test(err.originalCode ?? '');

export function smtpProviderError(err: SmtpError): ProviderError {
  if (untrustedCertificate(err)) return new ProviderError(`SMTP ${UNTRUSTED} (${err.originalCode}): ${err.message}`, false, { code: err.originalCode });
  const reply = err.responseCode;
  const retryable = reply !== undefined ? reply >= 400 && reply < 500 : NETWORK_CODES.has(err.code ?? '');
  return new ProviderError(`SMTP ${reply ?? err.code ?? 'error'}: ${err.response ?? err.message}`, retryable, {
    ...(reply !== undefined ? { status: reply } : {}),
    ...(err.code ? { code: err.code } : {}),
  });
}
