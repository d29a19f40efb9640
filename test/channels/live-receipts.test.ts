/**
 * Delivery receipts reach an open inbox live: a WhatsApp status webhook (delivered, read, then
 * failed with the provider's reason) goes through the real route, the inbound queue and the
 * dispatcher, updates the stored reply, and the inbox WebSocket gets the reply again with its new
 * `delivery` — the console redraws its ✓/✓✓/failed mark from that frame. Another tenant's inbox hears nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatsappStatus, whatsappText } from '../fakes/meta-webhooks';
import { signedIn } from '../console-api/support';
import { waitUntil } from '../support/wait';
import { startChannelBench, type ChannelBench } from './support';

const PHONE_ID = '106540352242977';
const SECRET = 'receipts-app-secret';
let bench: ChannelBench;
let hook: string;

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-receipts' });
  const channel = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-receipts', appSecret: SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID } });
  hook = `${bench.stack.url}/v1/webhooks/whatsapp/${channel.id}`;
});
afterAll(async () => bench?.close());

describe('live delivery receipts', () => {
  it('each status webhook pushes the reply with its new delivery state to the open inbox', async () => {
    const phone = `1555${String(Date.now()).slice(-7)}`;
    const post = (body: unknown) => bench.graph.post(hook, SECRET, body);
    expect((await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone, name: 'Grace' }, 'hi'))).status).toBe(200);
    await waitUntil(() => bench.graph.sent.some((m) => m.body.to === phone), 20_000, 'the reply sent');
    const wamid = bench.graph.sent.find((m) => m.body.to === phone)!.id;
    await waitUntil(async () => (await bench.rows(`select 1 from messages where external_id = $1`, [wamid])).length === 1, 10_000, 'the provider id stored');
    const [reply] = await bench.rows(`select id from messages where external_id = $1`, [wamid]);

    const agent = await signedIn(bench.stack, bench.apiKey, 'agent');
    const other = await bench.stack.createTenant();
    const outsider = await signedIn(bench.stack, other.apiKey, 'admin');
    const inbox = await agent.socket('/v1/inbox/live');
    const foreign = await outsider.socket('/v1/inbox/live');
    try {
      await Promise.all([inbox.waitFor((f) => f.type === 'ready'), foreign.waitFor((f) => f.type === 'ready')]);
      const deliveryFrame = (status: string) => inbox.waitFor((f) => f.type === 'message' && f.message.id === reply.id && f.message.delivery?.status === status, 15_000);

      expect((await post(whatsappStatus(PHONE_ID, wamid, 'delivered', phone))).status).toBe(200);
      expect((await deliveryFrame('delivered')).message.delivery).toEqual({ status: 'delivered', error: null });
      await post(whatsappStatus(PHONE_ID, wamid, 'read', phone));
      await deliveryFrame('read');
      await post(whatsappStatus(PHONE_ID, wamid, 'failed', phone, { code: 131047, title: 'Re-engagement message' }));
      const failed = await deliveryFrame('failed');
      expect(failed.message.delivery.error).toContain('131047');
      expect(failed).toMatchObject({ conversationId: expect.any(String), message: { id: reply.id, author: 'bot' } });
      expect(foreign.frames.filter((f) => f.type === 'message')).toEqual([]);
    } finally {
      inbox.close();
      foreign.close();
    }
  });
});
