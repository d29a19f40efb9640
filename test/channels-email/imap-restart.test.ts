/**
 * An IMAP channel's poll survives its worker: the worker process (worker/main.ts, the production
 * wiring) is killed while the poll IDLEs, mail arrives with no worker at all, and a new worker's
 * retry of the poll resumes from the heartbeated cursor — the new message is recorded and
 * dispatched once, the one recorded before the crash is not recorded again.
 */
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectChannel } from '../channels/support';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { startDovecot, type Dovecot } from './dovecot';
import { composeEmail } from './support';

let stack: Stack;
let smtp: FakeSmtp;
let dovecot: Dovecot;
let mail: ImapFlow;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  dovecot = await startDovecot();
  smtp = await startFakeSmtp({ user: 'desk', pass: 'smtp-password' });
  stack = await startStack({ ...sharedServers(), worker: false });
  mail = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false });
  await mail.connect();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  await mail?.logout().catch(() => undefined);
  await stack?.close();
  await smtp?.close();
  await dovecot?.close();
});

async function append(messageId: string, text: string) {
  await mail.append('INBOX', await composeEmail({ from: 'Ada <ada@example.org>', to: 'desk@clinic.example', subject: 'Visit', messageId, text }));
}

it('resumes the poll on a new worker after a crash: new mail once, earlier mail not again', async () => {
  workers.push(await startWorkerProcess(stack.workerEnv()));
  const { apiKey } = await stack.createTenant();
  await append('<before-crash@example.org>', 'Before the crash');
  const channel = await connectChannel(stack, apiKey, 'email', {
    credentials: { inboundSigningSecret: 'y'.repeat(32), imapPassword: dovecot.pass, smtpUser: 'desk', smtpPass: 'smtp-password' },
    settings: { fromAddress: 'desk@clinic.example', smtpHost: '127.0.0.1', smtpPort: smtp.port, inboundProvider: 'imap', imapHost: dovecot.host, imapPort: dovecot.port, imapTls: false, imapUser: dovecot.user },
  });
  const stored = async () =>
    (await stack.orm.em.getConnection().execute<{ external_id: string }[]>(
      `select m.external_id from messages m join conversations c on c.id = m.conversation_id where c.channel_id = ? and m.direction = 'in' order by m.external_id`,
      [channel.id],
    )).map((r) => r.external_id);
  await waitUntil(async () => (await stored()).length === 1, 60_000, 'the first message stored');

  // Give the poll a moment to settle into IDLE, then kill its worker and deliver mail meanwhile.
  await new Promise((r) => setTimeout(r, 1_000));
  await workers[0].kill('SIGKILL');
  await append('<during-outage@example.org>', 'While nobody was polling');
  workers.push(await startWorkerProcess(stack.workerEnv()));

  // The dead attempt is noticed by its heartbeat timeout (30 s); the retry resumes from its cursor.
  await waitUntil(async () => (await stored()).length === 2, 90_000, 'the message sent during the outage stored');
  expect(await stored()).toEqual(['<before-crash@example.org>', '<during-outage@example.org>']);
  const rows = await stack.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from inbound_messages where channel_id = ?`, [channel.id]);
  expect(Number(rows[0].n)).toBe(2);
  expect((await stack.request('DELETE', `/v1/channels/${channel.id}`, { apiKey })).status).toBe(204);
}, 180_000);
