/**
 * Inbound attachments past CHANNEL_MEDIA_MAX_BYTES (1 MB here): not downloaded whole nor stored,
 * noted on the message with the reason, and the message itself still reaches the flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messengerAttachment, whatsappImage } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';
import { filesSettled, startChannelBench, transcript, type ChannelBench } from './support';

const MAX = 1024 * 1024;
const PHONE_ID = '106540352242923';
const PAGE_ID = '1477392262503382';
const SECRET = 'media-app-secret';
let bench: ChannelBench;
let wa: { id: string };
let ms: { id: string };

beforeAll(async () => {
  bench = await startChannelBench({ CHANNEL_MEDIA_MAX_BYTES: String(MAX) });
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'wa-token' });
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'page-token' });
  wa = await bench.channel('whatsapp', { credentials: { accessToken: 'wa-token', appSecret: SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID } });
  ms = await bench.channel('messenger', { credentials: { pageAccessToken: 'page-token', appSecret: SECRET, verifyToken: 'v' }, settings: { pageId: PAGE_ID, typingIndicators: false } });
});
afterAll(async () => bench?.close());

const hook = (type: string, id: string) => `${bench.stack.url}/v1/webhooks/${type}/${id}`;
const inboundOf = async (channelId: string) => (await transcript(bench, channelId)).filter((m) => m.direction === 'in');
const assetCount = async (channelId: string) => Number((await bench.rows(`select count(*) from media_assets where channel_id = $1`, [channelId]))[0].count);

describe('inbound media size limit', () => {
  it('skips a WhatsApp file streamed without a Content-Length once it passes the limit; the caption reaches the flow', async () => {
    bench.graph.addMedia('huge-video', Buffer.alloc(3 * MAX, 7), 'image/jpeg', { chunked: true });
    await bench.graph.post(hook('whatsapp', wa.id), SECRET, whatsappImage({ phoneNumberId: PHONE_ID, from: '15550001111' }, 'huge-video', 'my x-ray'));
    await waitUntil(async () => (await transcript(bench, wa.id)).some((m) => m.direction === 'out'), 20_000, 'the flow answered');
    await filesSettled(bench, wa.id);
    const [message] = await inboundOf(wa.id);
    expect(message.text).toBe('my x-ray');
    expect(message.metadata.attachments).toEqual([{ status: 'failed', ref: 'huge-video', contentType: 'image/jpeg', error: expect.stringContaining(`than the ${MAX}-byte limit`) }]);
    expect(await assetCount(wa.id)).toBe(0);
  });

  it('refuses a Messenger attachment by its Content-Length and still stores one under the limit', async () => {
    const big = bench.graph.addMedia('big-pdf', Buffer.alloc(MAX + 1, 1), 'application/pdf');
    await bench.graph.post(hook('messenger', ms.id), SECRET, messengerAttachment(PAGE_ID, '6100000000001', big, 'file'));
    const small = bench.graph.addMedia('small-pdf', Buffer.alloc(MAX, 2), 'application/pdf');
    await bench.graph.post(hook('messenger', ms.id), SECRET, messengerAttachment(PAGE_ID, '6100000000002', small, 'file'));
    await waitUntil(async () => (await transcript(bench, ms.id)).filter((m) => m.direction === 'out').length >= 2, 20_000, 'both answered');
    await filesSettled(bench, ms.id);
    const attachments = (await inboundOf(ms.id)).map((m) => m.metadata.attachments[0]);
    expect(attachments).toContainEqual({ status: 'failed', ref: big, error: expect.stringContaining(`(${MAX + 1} bytes)`) });
    expect(attachments).toContainEqual(expect.objectContaining({ mediaAssetId: expect.any(String), byteSize: MAX }));
    expect(await assetCount(ms.id)).toBe(1);
  });
});
