/**
 * Outbound SMTP through nodemailer, one short-lived connection per send (bot replies are few and
 * far between; a pool would hold sockets open to every tenant's server). Failures map to
 * ProviderError by SMTP semantics: 4xx replies and network trouble are temporary (retry), 5xx
 * replies and rejected credentials are permanent.
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
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

function transportFor(server: SmtpServer) {
  return nodemailer.createTransport({
    host: server.host,
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

export async function sendSmtp(server: SmtpServer, mail: Mail.Options): Promise<void> {
  const transport = transportFor(server);
  try {
    await transport.sendMail(mail);
  } catch (err) {
    throw smtpProviderError(err as SmtpError);
  } finally {
    transport.close();
  }
}

/** The SMTP handshake, STARTTLS and AUTH, without sending anything. */
export async function verifySmtp(server: SmtpServer): Promise<{ ok: boolean; detail: string }> {
  const transport = transportFor(server);
  try {
    await transport.verify();
    return { ok: true, detail: `${server.host}:${server.port} accepted the connection${server.user ? ' and the credentials' : ''}` };
  } catch (err) {
    return { ok: false, detail: `${server.host}:${server.port}: ${(err as Error).message}` };
  } finally {
    transport.close();
  }
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

export function smtpProviderError(err: SmtpError): ProviderError {
  const reply = err.responseCode;
  const retryable = reply !== undefined ? reply >= 400 && reply < 500 : NETWORK_CODES.has(err.code ?? '');
  return new ProviderError(`SMTP ${reply ?? err.code ?? 'error'}: ${err.response ?? err.message}`, retryable, {
    ...(reply !== undefined ? { status: reply } : {}),
    ...(err.code ? { code: err.code } : {}),
  });
}
