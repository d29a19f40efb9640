/**
 * A local SMTP server for tests (the `smtp-server` package: real SMTP, real AUTH): captures every
 * accepted message with its envelope, raw bytes and parsed headers, and can refuse the next
 * messages with a chosen SMTP reply (451 try later, 550 no such user…).
 *
 *   const smtp = await startFakeSmtp({ user: 'bot', pass: 'secret' });
 *   smtp.failNext({ code: 451, message: 'Try again later' });
 *   // settings: { smtpHost: '127.0.0.1', smtpPort: smtp.port }
 *
 * With `tls` it speaks TLS with that key and certificate: STARTTLS offered on a plain connection,
 * or (`implicit`) TLS from the first byte, as on port 465. Each capture says whether it came over TLS.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedEmail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  subject: string | undefined;
  /** Whether the message came over TLS (implicit, or after STARTTLS). */
  secure: boolean;
}

export interface FakeSmtpTls {
  key: string | Buffer;
  cert: string | Buffer;
  /** TLS from the first byte (port 465 style) instead of STARTTLS. */
  implicit?: boolean;
}

export interface FakeSmtp {
  port: number;
  messages: CapturedEmail[];
  /** Connections that reached DATA, accepted or not. */
  attempts: number;
  /** TCP connections opened, whether or not their TLS handshake succeeded. */
  connections: number;
  failNext(...failures: { code: number; message: string }[]): void;
  /** Resolves when `count` messages have been captured. */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedEmail[]>;
  close(): Promise<void>;
}

export async function startFakeSmtp(opts: { user?: string; pass?: string; tls?: FakeSmtpTls } = {}): Promise<FakeSmtp> {
  const messages: CapturedEmail[] = [];
  const failures: { code: number; message: string }[] = [];
  const waiters: (() => void)[] = [];
  let attempts = 0;
  let connections = 0;

  const server = new SMTPServer({
    // Without TLS material no STARTTLS is offered, so clients do not try an upgrade that cannot work.
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert, secure: opts.tls.implicit ?? false } : { disabledCommands: ['STARTTLS'] }),
    allowInsecureAuth: true,
    authOptional: !opts.user,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === opts.user && auth.password === opts.pass) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      attempts++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const failure = failures.shift();
        if (failure) return callback(Object.assign(new Error(failure.message), { responseCode: failure.code }));
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        messages.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          raw,
          parsed,
          messageId: parsed.messageId,
          inReplyTo: parsed.inReplyTo,
          references: parsed.references === undefined ? [] : ([] as string[]).concat(parsed.references),
          subject: parsed.subject,
          secure: session.secure,
        });
        callback();
        waiters.splice(0).forEach((wake) => wake());
      });
    },
  });
  // A client that refuses the certificate drops the connection mid-handshake: not a server failure.
  server.on('error', () => {});
  server.server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    messages,
    get attempts() {
      return attempts;
    },
    get connections() {
      return connections;
    },
    failNext: (...f) => void failures.push(...f),
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} emails, got ${messages.length}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 200);
        });
      }
      return messages.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
