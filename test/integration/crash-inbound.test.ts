/**
 * Durability of inbound channel messages: the worker process dies (SIGKILL) while it downloads the
 * attachment (in the background, after the message's turn), or after it signalled the workflow
 * but before it marked the row dispatched. A new worker downloads the file again or dispatches the
 * row again, and the contact's message makes exactly one turn: one row, one stored attachment,
 * one stored message, one reply sent to the provider.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { messengerAttachment } from '../fakes/meta-webhooks';
import { startCrashBench, type CrashBench } from '../support/crash-bench';
import { startHoldServer, type HoldServer } from '../support/hold-server';
import { waitForQuiescence } from '../support/quiescence';
import { storedMessageCounts } from '../support/stored-messages';
import { waitUntil } from '../support/wait';

const PAGE_ID = '1477392262503381';
const SECRET = 'ms-app-secret';
const IMAGE = Buffer.from('\x89PNG crash test', 'latin1');
let bench: CrashBench;
let media: HoldServer;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  bench = await startCrashBench();
  media = await startHoldServer(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: IMAGE }));
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'EAAP-page-token', name: 'Harbor Dental' });
  channel = await bench.channel('messenger', { credentials: { pageAccessToken: 'EAAP-page-token', appSecret: SECRET, verifyToken: 'ms-verify' }, settings: { pageId: PAGE_ID } });
}, 120_000);
afterEach(async () => bench?.killWorkers());
afterAll(async () => {
  await media?.release();
  await bench?.close();
  await media?.close();
});

let users = 0;
const newPsid = () => `${Date.now()}${String(++users).padStart(3, '0')}`;
const sentTo = (psid: string) => bench.graph.sent.filter((m) => m.body.recipient.id === psid);
const contactMessage = async (psid: string) =>
  (await bench.rows(`select m.metadata from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'in'`, [psid]))[0];
const inboundRows = (psid: string) => bench.rows<{ id: string; status: string; external_id: string }>(`select id, status, external_id from inbound_messages where payload->>'contactAddress' = $1`, [psid]);

/** Posts an image from `psid` and waits until the worker is downloading it (held). */
async function imageHeldInDownload(psid: string) {
  const url = `${media.url}/${psid}.png`;
  media.holdNext((r) => r.path === `/${psid}.png`);
  expect((await bench.graph.post(`${bench.stack.url}/v1/webhooks/messenger/${channel.id}`, SECRET, messengerAttachment(PAGE_ID, psid, url))).status).toBe(200);
  await waitUntil(() => media.held() === 1, 60_000, 'the attachment download to start');
  return url;
}

/** After everything settled: one row dispatched, one asset, one stored message each way, one reply sent. */
async function expectExactlyOneTurn(psid: string, url: string) {
  await waitUntil(() => sentTo(psid).length >= 1, 150_000, 'the reply to be sent');
  await waitForQuiescence(bench.stack, { tenantId: bench.tenantId, timeoutMs: 150_000 });
  const rows = await inboundRows(psid);
  expect(rows.map((r) => r.status)).toEqual(['dispatched']);
  expect(await bench.rows(`select id from media_assets where ref = $1`, [url])).toHaveLength(1);
  const conversations = await bench.rows<{ id: string }>(`select id from conversations where channel_id = $1 and thread_key = $2`, [channel.id, psid]);
  expect(conversations).toHaveLength(1);
  const stored = await storedMessageCounts(bench.stack.orm, { conversationIds: [conversations[0].id] });
  expect(stored.map((m) => `${m.author}:${m.externalId ?? '-'}:${m.text}:${m.count}`)).toEqual([
    `contact:${rows[0].external_id}:[image]:1`,
    `bot:${sentTo(psid)[0].id}:Hello! What is your name?:1`,
  ]);
  expect(sentTo(psid)).toHaveLength(1);
}

it('makes one turn of a message whose worker died while it downloaded the attachment', async () => {
  const first = await bench.startWorker();
  const psid = newPsid();
  const url = await imageHeldInDownload(psid);
  // The download does not hold up the message: it is in the conversation with its file pending.
  await waitUntil(async () => (await inboundRows(psid))[0]?.status === 'dispatched', 30_000, 'the row dispatched');
  await waitUntil(async () => (await contactMessage(psid))?.metadata.attachments?.[0]?.status === 'pending', 30_000, 'the message stored, its file pending');

  await first.kill('SIGKILL');
  const killedAt = Date.now();
  await media.release();
  await bench.startWorker();
  // The new worker downloads the file again once the killed attempt's heartbeat times out (10 s, then
  // the 5 s retry interval); it is stored once all the same. Without heartbeats it waited for the
  // attempt's 45 s, counted from before the kill.
  await waitUntil(async () => (await contactMessage(psid))?.metadata.attachments?.[0]?.status === 'stored', 120_000, 'the file stored');
  expect(Date.now() - killedAt).toBeLessThan(30_000);
  await expectExactlyOneTurn(psid, url);
  expect(media.requests.filter((r) => r.path === `/${psid}.png`)).toHaveLength(2);
}, 300_000);

it('makes one turn of a message whose worker died after signalling the conversation but before marking the row', async () => {
  const first = await bench.startWorker();
  const psid = newPsid();
  const url = `${media.url}/${psid}.png`;

  // Marking a row dispatched waits for an advisory lock the test holds (a trigger): the worker
  // signals the conversation, which answers, then waits to mark the row.
  const lock = new pg.Client({ connectionString: bench.databaseUrl });
  await lock.connect();
  await lock.query(`create function hold_dispatch() returns trigger language plpgsql as $$
    begin if new.status = 'dispatched' then perform pg_advisory_xact_lock(4242); end if; return new; end $$`);
  await lock.query(`create trigger hold_dispatch before update on inbound_messages for each row execute function hold_dispatch()`);
  try {
    await lock.query('select pg_advisory_lock(4242)');
    expect((await bench.graph.post(`${bench.stack.url}/v1/webhooks/messenger/${channel.id}`, SECRET, messengerAttachment(PAGE_ID, psid, url))).status).toBe(200);
    // Sent and its provider id stored: Meta has no idempotency key, a crash before storing it may resend (ARCHITECTURE.md).
    await waitUntil(async () => (await bench.rows(`select m.status from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'out'`, [psid]))[0]?.status === 'sent', 60_000, 'the reply to the first dispatch');
    const me = (await lock.query('select pg_backend_pid() as pid')).rows[0].pid;
    // Read outside the lock's transaction: pg_stat_activity is a snapshot taken once per transaction.
    const blocked = () => bench.rows<{ pid: number }>(`select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`, [me]);
    await waitUntil(async () => (await blocked()).length > 0, 30_000, 'the worker to wait on marking the row');
    await first.kill('SIGKILL');
    // A dead machine's connections die with it: end the killed worker's statement before it could commit.
    for (const { pid } of await blocked()) await lock.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await lock.query('select pg_advisory_unlock(4242)');
    await lock.query('drop trigger hold_dispatch on inbound_messages');
    await lock.query('drop function hold_dispatch()');
    await lock.end();
  }
  expect((await inboundRows(psid)).map((r) => r.status)).toEqual(['pending']);

  await bench.startWorker();
  // The row is dispatched again (the job stalled with its worker); the conversation drops the repeat.
  await waitUntil(async () => (await inboundRows(psid))[0].status === 'dispatched', 150_000, 'the row to be dispatched again');
  await expectExactlyOneTurn(psid, url);
}, 300_000);
