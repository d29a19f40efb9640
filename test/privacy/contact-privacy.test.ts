/**
 * A contact's export and erasure through the API, on real PostgreSQL, Redis and the Temporal dev
 * server: a contact with a live conversation (a real workflow), files, an appointment, a campaign
 * send with a click, consent, events and a webhook delivery; another contact of the same tenant and
 * a contact of another tenant with rows of their own. The zip holds exactly its data; the erasure
 * removes exactly its rows (counted per table before and after), deletes its Temporal runs and
 * cached keys, is on record by id only, emits contact.erased, and a second call is a 404.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { awaitedReplyKey } from '../../core/conversations';
import { sha256 } from '../../events/sink';
import { signedIn } from '../console-api/support';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import * as f from './fixtures';

let stack: Stack;
let redis: Redis;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };
/** Tenant A's contact under test, its live conversation, and the rows about it. */
let ada: { contactId: string; conversationId: string; workflowId: string; mediaId: string; otherConversation: string };
let other: { contactId: string };
let bContact: string;
const FILE = Buffer.from('%PDF-1.4 the x-ray report\n');

async function liveConversation(t: { apiKey: string }, flowId: string) {
  const conv = await stack.request('POST', '/v1/conversations', { apiKey: t.apiKey, body: { flowId, channel: 'api', contact: { name: 'Ada Lovelace' } } });
  expect(conv.status).toBe(201);
  expect((await stack.request('POST', `/v1/conversations/${conv.body.id}/messages`, { apiKey: t.apiKey, body: { text: 'hi' } })).status).toBe(200);
  expect((await stack.request('POST', `/v1/conversations/${conv.body.id}/messages`, { apiKey: t.apiKey, body: { text: 'Ada' } })).status).toBe(200);
  return conv.body as { id: string; workflowId: string };
}

/** Everything a contact can have, around one conversation. */
async function rowsAbout(s: f.Seeded, contactId: string, conversationId: string) {
  const exec = f.execOf(stack.orm);
  const mediaId = await f.media(exec, s, conversationId, 'xray', 1, FILE);
  await f.appointment(exec, s, conversationId, contactId);
  await f.campaignSend(exec, s, contactId);
  await f.consent(exec, s, contactId);
  await f.feedback(exec, s, conversationId, contactId);
  const sub = await f.subscription(exec, s);
  const eventId = await f.event(exec, s, 'about-ada', 1, { conversationId });
  await f.delivery(exec, s, sub, eventId, 'about-ada', 1, 'succeeded');
  return mediaId;
}

async function publishedFlow(apiKey: string) {
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Reception', graph: receptionFlow } });
  expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey, body: {} })).status).toBe(201);
  return flow.body.id as string;
}

beforeAll(async () => {
  stack = await startStack(sharedServers());
  redis = new Redis(stack.config.REDIS_URL);
  a = await stack.createTenant();
  b = await stack.createTenant();
  const exec = f.execOf(stack.orm);
  const aFlow = await publishedFlow(a.apiKey);
  const conv = await liveConversation(a, aFlow);
  const [row] = await exec(`select contact_id from conversations where id = ?`, [conv.id]);
  const sA = { tenantId: a.tenantId, flowId: aFlow, contactId: String(row!.contact_id) };
  const otherConversation = await f.conversation(exec, sA, 'ada-old', { status: 'closed', lastMessageDaysAgo: 10, messageAges: [12, 10] });
  ada = { contactId: sA.contactId, conversationId: conv.id, workflowId: conv.workflowId, mediaId: await rowsAbout(sA, sA.contactId, conv.id), otherConversation };
  await redis.set(awaitedReplyKey(a.tenantId, conv.id), '{}');
  // Another contact of the same tenant, and one of tenant B, with the same kinds of rows.
  const sOther = await f.baseRows(exec, a.tenantId);
  const otherConv = await f.conversation(exec, sOther, 'grace', { status: 'bot', lastMessageDaysAgo: 1, messageAges: [1] });
  await rowsAbout(sOther, sOther.contactId, otherConv);
  other = { contactId: sOther.contactId };
  const sB = await f.baseRows(exec, b.tenantId);
  const bConv = await f.conversation(exec, sB, 'b', { status: 'bot', lastMessageDaysAgo: 1, messageAges: [1] });
  await rowsAbout(sB, sB.contactId, bConv);
  bContact = sB.contactId;
}, 120_000);

afterAll(async () => {
  await redis?.quit();
  await stack?.close();
});

async function download(path: string, apiKey: string) {
  const res = await fetch(stack.url + path, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const json = (files: Map<string, Buffer>, name: string) => JSON.parse(files.get(name)!.toString('utf8'));

describe('a contact’s export', () => {
  it('is a zip of its data and files, nobody else’s, on record', async () => {
    const res = await download(`/v1/contacts/${ada.contactId}/export`, a.apiKey);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/zip');
    const files = await unzip(res.bytes);
    const mediaPath = [...files.keys()].find((k) => k.startsWith('media/'))!;
    expect([...files.keys()].sort()).toEqual(['appointments.json', 'campaigns.json', 'contact.json', 'conversations.json', 'events.json', 'labels.json', 'media.json', 'ratings.json', mediaPath].sort());
    expect(mediaPath).toBe(`media/${ada.mediaId}-xray.txt`);
    expect(files.get(mediaPath)!.equals(FILE)).toBe(true);

    const contact = json(files, 'contact.json');
    expect(contact.contact).toMatchObject({ id: ada.contactId, name: 'Ada Lovelace', tenantId: a.tenantId });
    expect(contact.consents).toEqual([expect.objectContaining({ channel: 'sms', status: 'opted_in' })]);
    const conversations = json(files, 'conversations.json');
    expect(conversations.map((c: { id: string }) => c.id).sort()).toEqual([ada.conversationId, ada.otherConversation].sort());
    const live = conversations.find((c: { id: string }) => c.id === ada.conversationId);
    expect(live.messages.filter((m: { direction: string }) => m.direction === 'in').map((m: { text: string }) => m.text)).toEqual(['hi', 'Ada']);
    expect(live.messages.some((m: { text: string }) => m.text === 'Hello! What is your name?')).toBe(true);
    expect(json(files, 'appointments.json')).toEqual([expect.objectContaining({ contactId: ada.contactId, customerName: 'Ada Lovelace' })]);
    const sends = json(files, 'campaigns.json');
    expect(sends).toEqual([expect.objectContaining({ contactId: ada.contactId, campaignName: 'Spring sale', clicks: [expect.objectContaining({ url: 'https://shop.test/sale' })] })]);
    // The seeded event and the events of the messages the conversation stored, all about Ada's conversations.
    const events = json(files, 'events.json') as { type: string; data: { label?: string; conversationId: string } }[];
    expect(events.filter((e) => e.data.label).map((e) => e.data.label)).toEqual(['about-ada']);
    expect(events.filter((e) => e.type === 'message.sent').length).toBeGreaterThan(0);
    expect(events.every((e) => [ada.conversationId, ada.otherConversation].includes(e.data.conversationId))).toBe(true);
    expect(json(files, 'ratings.json')).toEqual([expect.objectContaining({ contactId: ada.contactId, conversationId: ada.conversationId, score: 4 })]);
    expect(json(files, 'labels.json')).toEqual([expect.objectContaining({ conversationId: ada.conversationId, intent: 'billing', sentiment: 'positive' })]);
    expect(json(files, 'media.json')).toEqual([expect.objectContaining({ id: ada.mediaId, path: mediaPath, byteSize: FILE.length })]);
    // Nothing of the other contact or of tenant B.
    const all = [...files.values()].map((v) => v.toString('utf8')).join('\n');
    expect(all).not.toContain(other.contactId);
    expect(all).not.toContain(bContact);
    expect(all).not.toContain('grace:');

    const audit = await stack.request('GET', `/v1/audit-log?action=contact.export&targetId=${ada.contactId}`, { apiKey: a.apiKey });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ targetType: 'contact', method: 'GET' });
  });

  it('is for admins only, and another tenant’s contact is a 404', async () => {
    expect((await download(`/v1/contacts/${bContact}/export`, a.apiKey)).status).toBe(404);
    expect((await download(`/v1/contacts/00000000-0000-4000-8000-000000000000/export`, a.apiKey)).status).toBe(404);
    expect((await download(`/v1/contacts/not-a-uuid/export`, a.apiKey)).status).toBe(400);
    const marketer = await signedIn(stack, a.apiKey, 'marketer');
    expect((await marketer.request('GET', `/v1/contacts/${ada.contactId}/export`)).status).toBe(403);
  });
});

describe('a contact’s erasure', () => {
  it('needs the typed confirmation, an admin, and the caller’s own contact', async () => {
    const bad = await stack.request('POST', `/v1/contacts/${ada.contactId}/erase`, { apiKey: a.apiKey, body: { confirm: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('confirm');
    expect((await stack.request('POST', `/v1/contacts/${ada.contactId}/erase`, { apiKey: a.apiKey, body: {} })).status).toBe(400);
    expect((await stack.request('POST', `/v1/contacts/${bContact}/erase`, { apiKey: a.apiKey, body: { confirm: 'ERASE' } })).status).toBe(404);
    const marketer = await signedIn(stack, a.apiKey, 'marketer');
    expect((await marketer.request('POST', `/v1/contacts/${ada.contactId}/erase`, { body: { confirm: 'ERASE' } })).status).toBe(403);
  });

  it('removes everything of that contact and nothing of anyone else’s, its runs and cached keys too', async () => {
    const exec = f.execOf(stack.orm);
    const beforeA = await f.tableCounts(exec, a.tenantId);
    const beforeB = await f.tableCounts(exec, b.tenantId);
    const messages = Number((await exec(`select count(*)::int as n from messages where conversation_id = any(?::uuid[])`, [`{${ada.conversationId},${ada.otherConversation}}`]))[0]!.n);
    // The seeded event and the stored messages' own events (conversation.started, message.*).
    const events = Number((await exec(`select count(*)::int as n from events where data->>'conversationId' = any(?::text[])`, [`{${ada.conversationId},${ada.otherConversation}}`]))[0]!.n);
    expect(events).toBeGreaterThan(1);
    await stack.temporal.workflow.getHandle(ada.workflowId).describe();

    const res = await stack.request('POST', `/v1/contacts/${ada.contactId}/erase`, { apiKey: a.apiKey, body: { confirm: 'ERASE' } });
    expect(res.status).toBe(200);
    expect(res.body.erased).toEqual({
      media_assets: 1,
      messages,
      inbound_messages: 0,
      events,
      webhook_deliveries: 1,
      appointments: 1,
      conversations: 2,
      contacts: 1,
      contact_consents: 1,
      campaign_recipients: 1,
    });
    expect(res.body.workflows.terminated).toBe(1);
    expect(res.body.workflows.deleted).toBeGreaterThanOrEqual(1);
    expect(res.body.cacheKeys).toBe(1);

    const afterA = await f.tableCounts(exec, a.tenantId);
    expect(afterA).toEqual({
      ...beforeA,
      contacts: beforeA.contacts - 1,
      contact_consents: beforeA.contact_consents - 1,
      conversations: beforeA.conversations - 2,
      messages: beforeA.messages - messages,
      media_assets: beforeA.media_assets - 1,
      events: beforeA.events - events,
      webhook_deliveries: beforeA.webhook_deliveries - 1,
      webhook_attempts: beforeA.webhook_attempts - 1,
      appointments: beforeA.appointments - 1,
      campaign_recipients: beforeA.campaign_recipients - 1,
      campaign_link_clicks: beforeA.campaign_link_clicks - 1,
      csat_responses: beforeA.csat_responses - 1,
      conversation_labels: beforeA.conversation_labels - 1,
    });
    // The other contact keeps one of everything; tenant B is untouched.
    expect(afterA.contacts).toBe(1);
    expect(Number((await exec(`select count(*)::int as n from conversations where contact_id = ?`, [other.contactId]))[0]!.n)).toBe(1);
    expect(await f.tableCounts(exec, b.tenantId)).toEqual(beforeB);

    // The conversation's Temporal execution is gone (the server deletes asynchronously).
    await waitUntil(
      () => stack.temporal.workflow.getHandle(ada.workflowId).describe().then(() => false, (err) => err instanceof WorkflowNotFoundError),
      15_000,
      'the execution deleted',
    );
    expect(await redis.exists(awaitedReplyKey(a.tenantId, ada.conversationId))).toBe(0);

    // On record by id, with counts and no personal data.
    const audit = await stack.request('GET', `/v1/audit-log?action=contact.erase&targetId=${ada.contactId}`, { apiKey: a.apiKey });
    expect(audit.body.items).toHaveLength(1);
    const entry = JSON.stringify(audit.body.items[0]);
    expect(entry).not.toMatch(/Ada|Lovelace|\+1555|x-ray/);
    expect(audit.body.items[0].changes).toContainEqual({ path: 'erased', after: expect.objectContaining({ messages: expect.any(Number), contacts: 1 }) });

    // contact.erased is queued for webhooks (the event sink stores it, fan-out delivers it).
    const queue = new Queue(stack.config.EVENTS_QUEUE_NAME, { connection: redis });
    const job = await queue.getJob(sha256(JSON.stringify([a.tenantId, 'contact.erased', ada.contactId])));
    await queue.close();
    expect(job?.data).toMatchObject({ tenantId: a.tenantId, type: 'contact.erased', data: { contactId: ada.contactId } });
    expect(JSON.stringify(job?.data)).not.toContain('Ada');
  }, 60_000);

  it('a second call is a 404 that says the contact is gone', async () => {
    const again = await stack.request('POST', `/v1/contacts/${ada.contactId}/erase`, { apiKey: a.apiKey, body: { confirm: 'ERASE' } });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toMatch(/erased contact is gone/);
    expect((await download(`/v1/contacts/${ada.contactId}/export`, a.apiKey)).status).toBe(404);
  });
});
