/**
 * Outbound email over TLS with the channel's own settings against a real SMTP server: STARTTLS
 * (smtpRequireTls) and implicit TLS (smtpSecure), each with a certificate the platform trusts
 * (delivered, over TLS) and one it does not (refused at once as a permanent failure naming the
 * certificate, so the send is not retried, and nothing is delivered). The certificates are made
 * here with the openssl CLI; the trusted one joins this process's default CA list, as a
 * certificate from a public or operator-installed CA would be. On the whole stack, a reply to an
 * inbound email through an untrusted server is marked failed after one connection.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailAdapter as buildEmailAdapter, type EmailCredentials, type EmailSettings } from '../../channels/email/adapter';
import { adapterEnv } from '../../channels/registry';
import { ProviderError, type ChannelConfig } from '../../channels/types';
import { loadConfig } from '../../core/config';
import { startChannelBench, transcript } from '../channels/support';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { waitUntil } from '../support/wait';
import { composeEmail, postInboundEmail } from './support';

const emailAdapter = buildEmailAdapter(adapterEnv(loadConfig({ OUTBOUND_ALLOWED_PRIVATE: process.env.OUTBOUND_ALLOWED_PRIVATE })));
const dir = mkdtempSync(join(tmpdir(), 'smtp-tls-'));

/** A self-signed certificate for 127.0.0.1, from the openssl CLI. */
function certificate(name: string) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

const trusted = certificate('trusted-mail');
const untrusted = certificate('untrusted-mail');
const servers: FakeSmtp[] = [];

beforeAll(() => {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), trusted.cert.toString()]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function server(cert: typeof trusted, implicit: boolean) {
  const smtp = await startFakeSmtp({ user: 'desk', pass: 'hunter22', tls: { ...cert, implicit } });
  servers.push(smtp);
  return smtp;
}

const channel = (smtp: FakeSmtp, settings: Partial<EmailSettings>): ChannelConfig<EmailCredentials, EmailSettings> => ({
  id: 'ch-email',
  tenantId: 't1',
  type: 'email',
  name: 'Front desk',
  credentials: { smtpUser: 'desk', smtpPass: 'hunter22', inboundSigningSecret: 'x'.repeat(32) },
  settings: { fromAddress: 'desk@hotel.example', fromName: 'Front desk', smtpHost: '127.0.0.1', smtpPort: smtp.port, ...settings },
  webhookUrl: 'https://switchboard.example/v1/webhooks/email/ch-email',
});

const send = (config: ChannelConfig<EmailCredentials, EmailSettings>, text: string) =>
  emailAdapter.send(config, { text }, { idempotencyKey: `conv:t1:c1:0:1:${text}`, contactAddress: 'ada@example.org', thread: {}, lastInboundAt: null });

const MODES = [
  { mode: 'STARTTLS', implicit: false, settings: { smtpRequireTls: true } },
  { mode: 'implicit TLS', implicit: true, settings: { smtpSecure: true } },
];

describe.each(MODES)('$mode', ({ implicit, settings }) => {
  it('delivers over TLS when the certificate is trusted', async () => {
    const smtp = await server(trusted, implicit);
    await send(channel(smtp, settings), 'Your room is ready.');
    const [mail] = await smtp.waitFor(1);
    expect(mail.secure).toBe(true);
    expect(mail.parsed.text?.trim()).toBe('Your room is ready.');
    expect(await emailAdapter.testConnection!(channel(smtp, settings))).toMatchObject({ ok: true });
  });

  it('refuses an untrusted certificate once, as a permanent failure that names it', async () => {
    const smtp = await server(untrusted, implicit);
    const err = await send(channel(smtp, settings), 'Not for an impostor.').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).retryable).toBe(false);
    expect((err as ProviderError).message).toMatch(/certificate/i);
    expect(smtp.messages).toEqual([]);
    expect(smtp.attempts).toBe(0);
    expect(await emailAdapter.testConnection!(channel(smtp, settings))).toEqual({ ok: false, detail: 'the server’s TLS certificate is not trusted' });
  });
});

describe('a server without STARTTLS', () => {
  it('is refused when the channel requires TLS, permanently, and used in plain text when it does not', async () => {
    const plain = await startFakeSmtp({ user: 'desk', pass: 'hunter22' });
    servers.push(plain);
    const err = await send(channel(plain, { smtpRequireTls: true }), 'Needs TLS.').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).retryable).toBe(false);
    expect(plain.messages).toEqual([]);
    await send(channel(plain, {}), 'Plain is allowed.');
    expect((await plain.waitFor(1))[0].secure).toBe(false);
  });
});

describe('on the stack', () => {
  it('marks a reply failed after one connection to a server with an untrusted certificate', async () => {
    const smtp = await server(untrusted, true);
    const bench = await startChannelBench();
    try {
      const secret = 'y'.repeat(32);
      const email = await bench.channel('email', {
        credentials: { smtpUser: 'desk', smtpPass: 'hunter22', inboundSigningSecret: secret },
        settings: { fromAddress: 'desk@hotel.example', smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecure: true },
      });
      const raw = await composeEmail({ from: 'ada@example.org', to: 'desk@hotel.example', subject: 'Table', messageId: '<tls-e2e@example.org>', text: 'A table for two?' });
      expect((await postInboundEmail(email.webhookUrl, secret, raw)).status).toBe(200);
      const reply = async () => (await transcript(bench, email.id)).find((m) => m.direction === 'out');
      await waitUntil(async () => (await reply())?.status === 'failed', 30_000, 'the reply marked failed');
      expect((await reply())!.error).toMatch(/certificate is not trusted/);
      // Failed on the first connection: no retry was made before the failure was recorded.
      expect(smtp.connections).toBe(1);
      expect(smtp.messages).toEqual([]);
    } finally {
      await bench.close();
    }
  }, 120_000);
});
