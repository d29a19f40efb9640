/**
 * IMAP polling against a real Dovecot (started by the test): an email channel with
 * `inboundProvider: imap` gets its `imapMailbox` workflow when created; mail APPENDed to the
 * mailbox becomes one message each in its conversation (unseen backlog on the first poll, then
 * new mail announced by IDLE while the poll waits); a poll run again from scratch (the workflow
 * cancelled and started anew) records nothing twice; deleting the channel cancels the poll.
 */
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapWorkflowId } from '../../core/ids';
import { resumeImapPolls } from '../../ingress/resume-loops';
import { startChannelBench, transcript, type ChannelBench } from '../channels/support';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { waitUntil } from '../support/wait';
import { startDovecot, type Dovecot } from './dovecot';
import { composeEmail } from './support';

const DESK = 'desk@clinic.example';
let bench: ChannelBench;
let smtp: FakeSmtp;
let dovecot: Dovecot;
let mail: ImapFlow;
let channel: { id: string; webhookUrl: string };

const settings = (inboundProvider = 'imap') => ({ fromAddress: DESK, smtpHost: '127.0.0.1', smtpPort: smtp.port, inboundProvider, imapHost: dovecot.host, imapPort: dovecot.port, imapTls: false, imapUser: dovecot.user });

async function append(messageId: string, subject: string, text: string, flags: string[] = []) {
  const raw = await composeEmail({ from: `Ada <ada@example.org>`, to: DESK, subject, messageId, text });
  await mail.append('INBOX', raw, flags);
}

const inbound = async () => (await transcript(bench, channel.id)).filter((m) => m.direction === 'in');
const countOf = async (messageId: string) => (await inbound()).filter((m) => m.metadata?.messageId === messageId).length;
const workflowStatus = async (): Promise<string> => (await bench.stack.temporal.workflow.getHandle(imapWorkflowId(bench.tenantId, channel.id)).describe()).status.name;

beforeAll(async () => {
  dovecot = await startDovecot();
  smtp = await startFakeSmtp({ user: 'desk', pass: 'smtp-password' });
  bench = await startChannelBench();
  mail = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false });
  await mail.connect();
});
afterAll(async () => {
  await mail?.logout().catch(() => undefined);
  await bench?.close();
  await smtp?.close();
  await dovecot?.close();
});

describe('IMAP polling (Dovecot)', () => {
  it('records the unseen backlog, then new mail while polling, one message each; a rerun records nothing twice; delete cancels', async () => {
    // Already in the mailbox: one unread (the backlog the channel takes over), one read (left alone).
    await append('<backlog@example.org>', 'Appointment', 'Can I move my appointment?');
    await append('<read@example.org>', 'Old news', 'Read long ago', ['\\Seen']);
    channel = await bench.channel('email', { credentials: { inboundSigningSecret: 'x'.repeat(32), imapPassword: dovecot.pass, smtpUser: 'desk', smtpPass: 'smtp-password' }, settings: settings() });
    expect(await workflowStatus()).toBe('RUNNING');
    await waitUntil(async () => (await countOf('<backlog@example.org>')) === 1, 30_000, 'the backlog message stored');
    const [first] = await inbound();
    expect(first.text).toBe('Can I move my appointment?');
    expect(first.metadata).toMatchObject({ subject: 'Appointment' });

    // New mail while the poll IDLEs: announced by the server, recorded without waiting for a timer.
    await append('<new@example.org>', 'Re: Appointment', '', []);
    await waitUntil(async () => (await countOf('<new@example.org>')) === 1, 30_000, 'the new message stored');
    const fresh = (await inbound()).find((m) => m.metadata?.messageId === '<new@example.org>')!;
    expect(fresh.text).toBe('Re: Appointment');

    // The poll stopped and started again from nothing: it reads the unseen mail again, the intake
    // recognises every message, and mail arriving afterwards is still taken.
    expect((await bench.stack.request('PATCH', `/v1/channels/${channel.id}`, { apiKey: bench.apiKey, body: { settings: settings('signed-mime') } })).status).toBe(200);
    await waitUntil(async () => (await workflowStatus()) === 'CANCELLED', 15_000, 'the poll cancelled');
    expect((await bench.stack.request('PATCH', `/v1/channels/${channel.id}`, { apiKey: bench.apiKey, body: { settings: settings() } })).status).toBe(200);
    await waitUntil(async () => (await workflowStatus()) === 'RUNNING', 15_000, 'the poll started again');
    await append('<after@example.org>', 'One more thing', 'Also, parking?');
    await waitUntil(async () => (await countOf('<after@example.org>')) === 1, 30_000, 'the message after the rerun stored');
    const rows = await bench.rows<{ external_id: string }>(`select external_id from inbound_messages where channel_id = $1 order by external_id`, [channel.id]);
    expect(rows.map((r) => r.external_id)).toEqual(['<after@example.org>', '<backlog@example.org>', '<new@example.org>']);
    for (const id of ['<backlog@example.org>', '<new@example.org>', '<after@example.org>']) expect(await countOf(id), id).toBe(1);
    expect(await countOf('<read@example.org>')).toBe(0);

    expect((await bench.stack.request('DELETE', `/v1/channels/${channel.id}`, { apiKey: bench.apiKey })).status).toBe(204);
    await waitUntil(async () => ['CANCELLED', 'COMPLETED'].includes(await workflowStatus()), 15_000, 'the poll ended with the channel');
  });
});

describe('IMAP polls at worker start', () => {
  it('starts the poll of an IMAP channel that has none (saved while Temporal was away), and keeps a running one', async () => {
    const saved = await bench.channel('email', { credentials: { inboundSigningSecret: 'z'.repeat(32), imapPassword: dovecot.pass }, settings: settings() });
    const handle = bench.stack.temporal.workflow.getHandle(imapWorkflowId(bench.tenantId, saved.id));
    await handle.terminate('as if its start had failed');
    expect(await resumeImapPolls(bench.stack.orm, bench.stack.temporal, bench.stack.config.TEMPORAL_TASK_QUEUE)).toBeGreaterThanOrEqual(1);
    const running = await handle.describe();
    expect(running.status.name).toBe('RUNNING');
    await resumeImapPolls(bench.stack.orm, bench.stack.temporal, bench.stack.config.TEMPORAL_TASK_QUEUE);
    expect((await handle.describe()).runId).toBe(running.runId);
    expect((await bench.stack.request('DELETE', `/v1/channels/${saved.id}`, { apiKey: bench.apiKey })).status).toBe(204);
  });
});

describe('IMAP connection test', () => {
  it('logs in to the mailbox after the SMTP check: refused credentials and a missing mailbox are named, never the server’s text', async () => {
    const credentials = { inboundSigningSecret: 'w'.repeat(32), smtpUser: 'desk', smtpPass: 'smtp-password' };
    const good = await bench.channel('email', { credentials: { ...credentials, imapPassword: dovecot.pass }, settings: settings() });
    const wrong = await bench.channel('email', { credentials: { ...credentials, imapPassword: 'not-the-password' }, settings: settings() });
    const nobox = await bench.channel('email', { credentials: { ...credentials, imapPassword: dovecot.pass }, settings: { ...settings(), imapMailbox: 'Archive/2019' } });
    const test = async (id: string) => (await bench.stack.request('POST', `/v1/channels/${id}/test`, { apiKey: bench.apiKey, body: {} })).body;
    expect(await test(good.id)).toMatchObject({ ok: true, detail: expect.stringContaining('IMAP: 127.0.0.1') });
    expect(await test(wrong.id)).toMatchObject({ ok: false, detail: expect.stringContaining('the IMAP server refused the credentials') });
    expect(await test(nobox.id)).toMatchObject({ ok: false, detail: expect.stringContaining('no mailbox Archive/2019') });
    for (const c of [good, wrong, nobox]) await bench.stack.request('DELETE', `/v1/channels/${c.id}`, { apiKey: bench.apiKey });
  });
});
