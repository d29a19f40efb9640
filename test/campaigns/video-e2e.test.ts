/**
 * A campaign carrying a video, on the real stack over the fake Graph API, D-ID and ElevenLabs: a
 * script without variables is rendered once for every recipient, each WhatsApp template carrying
 * the video as its header; a script with `{{contact.firstName}}` is rendered per recipient; the
 * recipients wait (deferred) while their video renders. Edits naming a missing video, avatar or
 * variable are refused naming the field.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignVariant, CampaignVideo } from '../../core/campaigns';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { startFakeDid, type FakeDid } from '../fakes/d-id-server';
import { FAKE_VOICES, startFakeElevenLabs, type FakeElevenLabs } from '../fakes/elevenlabs-server';
import { presenterImage } from '../renders/media-fixtures';
import { freePort } from '../support/ports';
import { launch, makeCampaign, makeContacts, recipients, tagged, waitForStatus } from './support';

const PHONE_ID = '106540352247777';
let bench: ChannelBench;
let did: FakeDid;
let eleven: FakeElevenLabs;
let mediaDir: string;
let whatsapp: { id: string };
let avatarId: string;

let n = 0;
const newPhone = () => `+1557${String(process.pid).slice(-3)}${String(++n).padStart(4, '0')}`;
const waSent = (phone: string) => bench.graph.sent.filter((m) => m.product === 'whatsapp' && m.body.to === phone.slice(1));
const req = (method: string, path: string, body?: unknown) => bench.stack.request(method, path, { apiKey: bench.apiKey, body });

const videoVariant = (video: CampaignVideo): CampaignVariant => ({
  id: 'A',
  content: { whatsapp: { text: 'Hi {{contact.firstName|there}}, our tasting menu is on Friday', template: { name: 'tasting_video', language: 'en', parameters: ['{{contact.firstName|there}}'] } }, video },
  generatedBy: 'edited',
  warnings: [],
});

/** The video link of the one template message the phone received. */
function headerVideo(phone: string): string {
  const sent = waSent(phone);
  expect(sent).toHaveLength(1);
  const header = sent[0]!.body.template.components.find((c: { type: string }) => c.type === 'header');
  expect(header.parameters[0].type).toBe('video');
  return header.parameters[0].video.link;
}

beforeAll(async () => {
  [did, eleven] = await Promise.all([startFakeDid({ apiKey: 'user:secret', renderMs: 800 }), startFakeElevenLabs({ apiKey: 'xi-test' })]);
  mediaDir = await mkdtemp(join(tmpdir(), 'campaign-video-'));
  const port = await freePort();
  bench = await startChannelBench({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, MEDIA_DIR: mediaDir, OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1', ELEVENLABS_API_URL: eleven.url, ELEVENLABS_API_KEY: 'xi-test', DID_POLL_SECONDS: '30' });
  expect((await req('PUT', '/v1/settings/did', { baseURL: did.url, apiKey: 'user:secret' })).status).toBe(200);
  const voice = await req('POST', '/v1/voices', { name: 'Rachel', provider: 'elevenlabs', voiceId: FAKE_VOICES[0].voice_id });
  avatarId = (await req('POST', '/v1/avatars', { name: 'Chef', image: (await presenterImage()).toString('base64'), voiceProfileId: voice.body.id })).body.id;
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-campaign-video' });
  whatsapp = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-campaign-video', appSecret: 'wa-secret', verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID } });
  await bench.rows(
    `insert into whatsapp_templates (tenant_id, channel_id, name, language, category, body, parameter_count, status) values ($1, $2, 'tasting_video', 'en', 'MARKETING', 'Hi {{1}}, our tasting menu is on Friday', 1, 'APPROVED')`,
    [bench.tenantId, whatsapp.id],
  );
}, 180_000);
afterAll(async () => {
  await bench?.close();
  await Promise.all([did?.close(), eleven?.close()]);
  if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
});

async function sendCampaign(tag: string, video: CampaignVideo): Promise<string> {
  const id = await makeCampaign(bench, { audienceFilter: tagged(tag), channels: ['whatsapp'], channelIds: { whatsapp: whatsapp.id }, ratePerSecond: { whatsapp: 0 }, variants: [videoVariant(video)] });
  await launch(bench, id);
  return id;
}

describe('a campaign with a video', () => {
  it('renders a script without variables once and sends it to every recipient', { timeout: 180_000 }, async () => {
    const phones = [newPhone(), newPhone(), newPhone()];
    await makeContacts(bench, phones.map((phone, i) => ({ firstName: ['Ada', 'Grace', 'Linus'][i], phone, tags: ['video1'], consent: { whatsapp: 'in' as const } })));
    const before = did.created;
    const id = await sendCampaign('video1', { script: 'This Friday our chef cooks a slow roasted lamb for you.', avatarId });
    expect(await waitForStatus(bench, id, 'completed', 150_000)).toMatchObject({ sent: 3, failed: 0 });
    expect(did.created - before).toBe(1);
    const links = phones.map(headerVideo);
    expect(new Set(links.map((l) => new URL(l).pathname)).size).toBe(1);
    const res = await fetch(links[0]!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(waSent(phones[1]!)[0]!.body.template.components.find((c: { type: string }) => c.type === 'body').parameters[0].text).toBe('Grace');
    const [stored] = await bench.rows(`select metadata from messages where id = (select message_id from campaign_recipients where campaign_id = $1 limit 1)`, [id]);
    expect(stored.metadata.rich.media).toMatchObject({ contentType: 'video/mp4', key: expect.any(String), posterUrl: expect.any(String) });
  });

  it('renders a personalized script per recipient, the recipients waiting for theirs', { timeout: 180_000 }, async () => {
    const phones = [newPhone(), newPhone()];
    await makeContacts(bench, [
      { firstName: 'Marta', phone: phones[0], tags: ['video2'], consent: { whatsapp: 'in' } },
      { firstName: 'Tomas', phone: phones[1], tags: ['video2'], consent: { whatsapp: 'in' } },
    ]);
    const before = did.created;
    const id = await sendCampaign('video2', { script: 'Hello {{contact.firstName|friend}}, this Friday our chef cooks for you.', avatarId });
    expect(await waitForStatus(bench, id, 'completed', 150_000)).toMatchObject({ sent: 2, failed: 0 });
    expect(did.created - before).toBe(2);
    const links = phones.map(headerVideo);
    expect(new Set(links.map((l) => new URL(l).pathname)).size).toBe(2);
    expect((await recipients(bench, id)).every((r) => r.status === 'sent')).toBe(true);
    const renders = await bench.rows(`select script, contact_id from video_renders where tenant_id = $1 and script like 'Hello %'`, [bench.tenantId]);
    expect(renders.map((r) => r.script).sort()).toEqual(['Hello Marta, this Friday our chef cooks for you.', 'Hello Tomas, this Friday our chef cooks for you.']);
    expect(renders.every((r) => r.contact_id)).toBe(true);
  });

  it('refuses edits naming a missing video, another tenant’s video or avatar, or an unknown variable', { timeout: 60_000 }, async () => {
    const draft = await req('POST', '/v1/campaigns', { name: 'Video draft', channels: ['whatsapp'] });
    expect(draft.status).toBe(201);
    const patch = (video: unknown) => req('PATCH', `/v1/campaigns/${draft.body.id}`, { variants: [{ ...videoVariant({ script: 'x', avatarId }), content: { whatsapp: { text: 'Hi' }, video } }] });
    const missing = await patch({ renderId: '00000000-0000-4000-8000-000000000000' });
    expect([missing.status, missing.body.error.field]).toEqual([404, 'variants.0.content.video.renderId']);
    const avatar = await patch({ script: 'Hi there', avatarId: '00000000-0000-4000-8000-000000000000' });
    expect([avatar.status, avatar.body.error.field]).toEqual([404, 'variants.0.content.video.avatarId']);
    const variable = await patch({ script: 'Hi {{customer.name}}', avatarId });
    expect([variable.status, variable.body.error.field]).toEqual([400, 'variants.0.content.video.script']);
    const both = await patch({ renderId: '00000000-0000-4000-8000-000000000000', script: 'Hi', avatarId });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toContain('either a renderId or a script');
    // Another tenant names this tenant's render and avatar on its own draft: not found, naming the field.
    const other = await bench.stack.createTenant();
    const asOther = (method: string, path: string, body?: unknown) => bench.stack.request(method, path, { apiKey: other.apiKey, body });
    const theirs = await asOther('POST', '/v1/campaigns', { name: 'Borrowed video', channels: ['whatsapp'] });
    const [ours] = await bench.rows(`select id from video_renders where tenant_id = $1 and status = 'completed' limit 1`, [bench.tenantId]);
    for (const [video, field] of [[{ renderId: ours.id }, 'renderId'], [{ script: 'Hi', avatarId }, 'avatarId']] as const) {
      const res = await asOther('PATCH', `/v1/campaigns/${theirs.body.id}`, { variants: [{ ...videoVariant({ script: 'x', avatarId }), content: { whatsapp: { text: 'Hi' }, video } }] });
      expect([res.status, res.body.error.field]).toEqual([404, `variants.0.content.video.${field}`]);
    }
    expect((await asOther('PATCH', `/v1/campaigns/${draft.body.id}`, { name: 'Renamed by another tenant' })).status).toBe(404);

    const ok = await patch({ script: 'Hi {{contact.firstName|there}}', avatarId });
    expect(ok.status).toBe(200);
    expect(ok.body.variants[0].content.video).toEqual({ script: 'Hi {{contact.firstName|there}}', avatarId });
    // Rewriting the text (the offline writer here) keeps the variant's video.
    const rewritten = await req('POST', `/v1/campaigns/${draft.body.id}/generate`, { brief: { goal: 'Fill Friday', channels: ['whatsapp'] } });
    expect(rewritten.status).toBe(200);
    expect(rewritten.body.variants[0].content.video).toEqual({ script: 'Hi {{contact.firstName|there}}', avatarId });
    expect(rewritten.body.variants[0].generatedBy).not.toBe('edited');
    // The preview says the script as this contact's render would (nobody: the fallback).
    const preview = await req('GET', `/v1/campaigns/${draft.body.id}/preview?variant=A`);
    expect(preview.body.video).toEqual({ script: 'Hi there', personalized: true });
  });
});
