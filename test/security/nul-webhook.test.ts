/**
 * A provider webhook carrying a NUL or an unpaired surrogate: it is signed and must be
 * acknowledged (a refusal makes the provider redeliver it for days), so the text is stripped
 * where every provider's events are recorded. Before, the group-committed insert failed with a
 * 500, and with it every other webhook sharing that commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelBench, transcript, type ChannelBench } from '../channels/support';
import { whatsappText } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';

const PHONE_ID = '106540352242977';
const SECRET = 'wa-app-secret-nul';
let bench: ChannelBench;
let channel: { id: string; webhookUrl: string };
let hook: string;

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-nul-token' });
  channel = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-nul-token', appSecret: SECRET, verifyToken: 'nul-verify' }, settings: { phoneNumberId: PHONE_ID } });
  hook = `${bench.stack.url}/v1/webhooks/whatsapp/${channel.id}`;
});
afterAll(async () => bench?.close());

describe('a webhook with text the database cannot store', () => {
  it('is acknowledged, stored stripped, and answered', async () => {
    const phone = `1555${String(Date.now()).slice(-7)}`;
    const post = (body: unknown) => bench.graph.post(hook, SECRET, body);
    const sentTo = () => bench.graph.sent.filter((m) => m.body.to === phone).map((m) => m.body.text?.body);

    expect((await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone, name: 'Ada\u0000 Lovelace' }, 'hi\u0000'))).status).toBe(200);
    await waitUntil(() => sentTo().length >= 1, 20_000, 'the first reply');
    expect((await post(whatsappText({ phoneNumberId: PHONE_ID, from: phone }, 'A\u0000da\uD800'))).status).toBe(200);
    await waitUntil(() => sentTo().length >= 2, 20_000, 'the second reply');
    expect(sentTo()).toEqual(['Hello! What is your name?', 'Nice to meet you, Ada\uFFFD!']);

    const inbound = (await transcript(bench, channel.id)).filter((m) => m.direction === 'in').map((m) => m.text);
    expect(inbound).toEqual(['hi', 'Ada\uFFFD']);
    const contact = await bench.rows(`select name from contacts where external_id = $1`, [`+${phone}`]);
    expect(contact).toEqual([{ name: 'Ada Lovelace' }]);
  });
});
