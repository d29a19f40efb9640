/**
 * The sendVideo node end to end: a WhatsApp contact writes, the flow renders a script with a variable
 * (speech → D-ID → checks → outputs → stored) and sends the MP4 over the fake Cloud API as a
 * WhatsApp video message whose link serves the stored video; a second contact whose script comes out the same
 * gets the cached render, with no provider call.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { startFakeDid, type FakeDid } from '../fakes/d-id-server';
import { FAKE_VOICES, startFakeElevenLabs, type FakeElevenLabs } from '../fakes/elevenlabs-server';
import { whatsappText } from '../fakes/meta-webhooks';
import { freePort } from '../support/ports';
import { waitUntil } from '../support/wait';
import { presenterImage } from './media-fixtures';

const PHONE_ID = '106540352249999';
const SECRET = 'wa-video-secret';
let bench: ChannelBench;
let did: FakeDid;
let eleven: FakeElevenLabs;
let mediaDir: string;
let whatsapp: { id: string };

beforeAll(async () => {
  [did, eleven] = await Promise.all([startFakeDid({ apiKey: 'user:secret', renderMs: 800 }), startFakeElevenLabs({ apiKey: 'xi-test' })]);
  mediaDir = await mkdtemp(join(tmpdir(), 'send-video-'));
  const port = await freePort();
  bench = await startChannelBench({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, MEDIA_DIR: mediaDir, OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1', ELEVENLABS_API_URL: eleven.url, ELEVENLABS_API_KEY: 'xi-test', DID_POLL_SECONDS: '30' });
  const req = (method: string, path: string, body?: unknown) => bench.stack.request(method, path, { apiKey: bench.apiKey, body });
  expect((await req('PUT', '/v1/settings/did', { baseURL: did.url, apiKey: 'user:secret' })).status).toBe(200);
  const voice = await req('POST', '/v1/voices', { name: 'Rachel', provider: 'elevenlabs', voiceId: FAKE_VOICES[0].voice_id });
  const avatar = await req('POST', '/v1/avatars', { name: 'Chef', image: (await presenterImage()).toString('base64'), voiceProfileId: voice.body.id });
  const flow: GraphInput = {
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'video', type: 'sendVideo', data: { avatarId: avatar.body.id, script: 'Hello{{greeting}}, this Friday our chef cooks a slow roasted lamb for you.', text: 'Your Friday special' } },
      { id: 'bye', type: 'end', data: {} },
    ],
    edges: [
      { id: 'a', source: 'start', target: 'video' },
      { id: 'b', source: 'video', target: 'bye', sourceHandle: 'next' },
    ],
    settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
  };
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-video' });
  whatsapp = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-video', appSecret: SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID } }, flow);
}, 180_000);
afterAll(async () => {
  await bench?.close();
  await Promise.all([did?.close(), eleven?.close()]);
  if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
});

const sentTo = (to: string) => bench.graph.sent.filter((m) => m.body.to === to).map((m) => m.body);

it('renders a script with a variable and sends it as a WhatsApp video; the same text again comes from the cache', { timeout: 180_000 }, async () => {
  const first = `1555${String(Date.now()).slice(-7)}`;
  await bench.graph.post(`${bench.stack.url}/v1/webhooks/whatsapp/${whatsapp.id}`, SECRET, whatsappText({ phoneNumberId: PHONE_ID, from: first, name: 'Ana' }, 'hi'));
  await waitUntil(() => sentTo(first).some((m) => m.type === 'video'), 120_000, 'the WhatsApp video');
  const video = sentTo(first).find((m) => m.type === 'video')!;
  expect(video.video.caption).toBe('Your Friday special');
  const res = await fetch(video.video.link);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('video/mp4');
  expect(Number(res.headers.get('content-length'))).toBeGreaterThan(10_000);
  expect(did.created).toBe(1);

  const before = { did: did.requests.length, eleven: eleven.requests.length };
  const second = `1556${String(Date.now()).slice(-7)}`;
  await bench.graph.post(`${bench.stack.url}/v1/webhooks/whatsapp/${whatsapp.id}`, SECRET, whatsappText({ phoneNumberId: PHONE_ID, from: second, name: 'Ana' }, 'hi'));
  await waitUntil(() => sentTo(second).some((m) => m.type === 'video'), 60_000, 'the cached video');
  expect({ did: did.requests.length, eleven: eleven.requests.length }).toEqual(before);
});
