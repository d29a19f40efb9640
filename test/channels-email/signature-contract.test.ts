/**
 * The inbound email webhook against its documented contract (README, "Email"), not against our own
 * signer: `x-switchboard-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>`,
 * `x-switchboard-timestamp` in Unix seconds, at most five minutes from the server's clock (else
 * 401), and one message per Message-ID. Signatures are computed here with node:crypto from that
 * recipe, over raw bytes that are not UTF-8; and the README's own shell recipe (openssl + curl) is
 * run as written.
 */
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelBench, transcript, type ChannelBench } from '../channels/support';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { waitUntil } from '../support/wait';

const SECRET = randomBytes(32).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'inbound-email-'));
let bench: ChannelBench;
let smtp: FakeSmtp;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  smtp = await startFakeSmtp();
  bench = await startChannelBench();
  channel = await bench.channel('email', {
    credentials: { inboundSigningSecret: SECRET },
    settings: { fromAddress: 'desk@hotel.example', smtpHost: '127.0.0.1', smtpPort: smtp.port },
  });
}, 120_000);
afterAll(async () => {
  await bench?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw message in ISO-8859-1 with 8-bit bytes: the body is bytes, not a JavaScript string. */
function rawMail(messageId: string, words: string): Buffer {
  const lines = ['From: Zoë <zoe@example.org>', 'To: desk@hotel.example', 'Subject: Table', `Message-ID: ${messageId}`, 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit', '', words, ''];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** The README's recipe: HMAC-SHA256 keyed with the secret over "<timestamp>." followed by the raw body, hex, prefixed "sha256=". */
const documentedSignature = (timestamp: number, raw: Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${timestamp}.`), raw])).digest('hex')}`;

async function post(raw: Buffer, timestamp: number, signature = documentedSignature(timestamp, raw)) {
  const res = await fetch(channel.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-switchboard-timestamp': String(timestamp), 'x-switchboard-signature': signature },
    body: new Uint8Array(raw),
  });
  return res.status;
}

const now = () => Math.floor(Date.now() / 1000);
const newId = () => `<${randomBytes(8).toString('hex')}@example.org>`;
const inbound = async () => (await transcript(bench, channel.id)).filter((m) => m.direction === 'in').map((m) => m.text);

describe('the documented inbound email signature', () => {
  it('accepts a message signed by the recipe, over its raw bytes, and reads it in its charset', async () => {
    const id = newId();
    expect(await post(rawMail(id, "Un caf\u00e9, s'il vous pla\u00eet."), now())).toBe(200);
    await waitUntil(async () => (await inbound()).includes("Un caf\u00e9, s'il vous pla\u00eet."), 20_000, 'the message stored');
  });

  it('holds the five-minute window both ways and refuses another secret or an unsigned timestamp', async () => {
    const raw = rawMail(newId(), 'Window.');
    expect(await post(raw, now() - 360)).toBe(401);
    expect(await post(raw, now() + 360)).toBe(401);
    expect(await post(raw, now(), documentedSignature(now(), raw, randomBytes(32).toString('hex')))).toBe(401);
    // The timestamp is inside the MAC: re-dating a signed message breaks it.
    expect(await post(raw, now(), documentedSignature(now() - 100, raw))).toBe(401);
    expect(await post(raw, now() - 240)).toBe(200);
  });

  it('processes one Message-ID once, however often it is posted', async () => {
    const raw = rawMail(newId(), 'Only once.');
    expect(await post(raw, now())).toBe(200);
    expect(await post(raw, now())).toBe(200);
    await waitUntil(async () => (await inbound()).includes('Only once.'), 20_000, 'the message stored');
    expect((await inbound()).filter((t) => t === 'Only once.')).toHaveLength(1);
  });

  it('is what the README’s shell recipe produces (openssl and curl, as written)', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const recipe = /signed with the channel's secret:\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(recipe, 'the recipe in README.md').toBeTruthy();
    writeFileSync(join(dir, 'message.eml'), rawMail(newId(), 'From the shell.'));
    await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', recipe!], { cwd: dir, env: { ...process.env, WEBHOOK_URL: channel.webhookUrl, SECRET } });
    await waitUntil(async () => (await inbound()).includes('From the shell.'), 20_000, 'the message posted by the recipe stored');
  });
});
