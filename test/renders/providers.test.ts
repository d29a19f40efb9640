/**
 * The provider clients against the fakes' wire formats: ElevenLabs through its SDK (speech, voices,
 * 401 / 422 / 429 / quota classified), espeak-ng offline, and D-ID's REST API (Basic auth, create →
 * started → done, the result MP4, the job found again by user_data, the webhook, 402 / 400 / 451 /
 * 500 classified; a failed job classified).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDidJob, downloadDidResult, findDidJob, getDidJob, jobFailure, type DidJob } from '../../renders/d-id';
import { elevenLabsSpeech, elevenLabsVoices } from '../../renders/elevenlabs';
import type { ProviderEndpoint, SpeechEndpoint } from '../../renders/endpoints';
import { RenderProviderError } from '../../renders/errors';
import { espeakSpeech } from '../../renders/espeak';
import { probeMedia } from '../../video/probe';
import { startFakeDid, type FakeDid } from '../fakes/d-id-server';
import { FAKE_VOICES, startFakeElevenLabs, type FakeElevenLabs } from '../fakes/elevenlabs-server';
import { fileServer, presenterImage } from './media-fixtures';

const policy = { allowedPrivate: ['127.0.0.1'] };
let eleven: FakeElevenLabs;
let did: FakeDid;
let files: Awaited<ReturnType<typeof fileServer>>;
let dir: string;
let speech: SpeechEndpoint;
let didEndpoint: ProviderEndpoint;
const voiceId = FAKE_VOICES[0].voice_id;

beforeAll(async () => {
  eleven = await startFakeElevenLabs({ apiKey: 'xi-test' });
  did = await startFakeDid({ apiKey: 'user:secret', renderMs: 300 });
  dir = await mkdtemp(join(tmpdir(), 'providers-'));
  speech = { baseURL: eleven.url, apiKey: 'xi-test', modelId: 'eleven_multilingual_v2', policy };
  didEndpoint = { baseURL: did.url, apiKey: 'user:secret', policy };
  const audio = await elevenLabsSpeech(speech, { voiceId, modelId: 'eleven_multilingual_v2', settings: {}, text: 'Hello there, this is the special of the week.' });
  files = await fileServer({ '/face.png': { body: await presenterImage(), type: 'image/png' }, '/speech.mp3': { body: audio, type: 'audio/mpeg' } });
});
afterAll(async () => {
  await Promise.all([eleven?.close(), did?.close(), files?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const classOf = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(RenderProviderError);
  return (err as RenderProviderError).errorClass;
};

describe('ElevenLabs (SDK against the fake)', () => {
  it('synthesizes real MP3 with xi-api-key, model_id, voice_settings and output_format', async () => {
    const audio = await elevenLabsSpeech(speech, { voiceId, modelId: 'eleven_turbo_v2_5', settings: { stability: 0.4, similarityBoost: 0.8 }, text: 'One two three four five six seven eight nine ten.' });
    const path = join(dir, 'a.mp3');
    await (await import('node:fs/promises')).writeFile(path, audio);
    const probe = await probeMedia(path);
    expect(probe.audioCodec).toBe('mp3');
    expect(probe.durationSec).toBeGreaterThan(3);
    const last = eleven.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', path: `/v1/text-to-speech/${voiceId}`, apiKey: 'xi-test', query: { output_format: 'mp3_44100_128' } });
    expect(last.body).toMatchObject({ model_id: 'eleven_turbo_v2_5', voice_settings: { stability: 0.4, similarity_boost: 0.8 } });
  });

  it('lists voices', async () => {
    expect((await elevenLabsVoices(speech)).map((v) => v.name)).toEqual(['Rachel', 'Adam']);
  });

  it('classifies errors: wrong key → auth, quota → quota, 422 → invalid_request, 429 → transient', async () => {
    expect(await classOf(elevenLabsSpeech({ ...speech, apiKey: 'wrong' }, { voiceId, modelId: 'm', settings: {}, text: 'hi' }))).toBe('auth');
    eleven.failNext(401, { quota: true });
    expect(await classOf(elevenLabsSpeech(speech, { voiceId, modelId: 'm', settings: {}, text: 'hi' }))).toBe('quota');
    eleven.failNext(422);
    expect(await classOf(elevenLabsSpeech(speech, { voiceId, modelId: 'm', settings: {}, text: 'hi' }))).toBe('invalid_request');
    eleven.failNext(429);
    const err = await elevenLabsSpeech(speech, { voiceId, modelId: 'm', settings: {}, text: 'hi' }).catch((e: RenderProviderError) => e);
    expect((err as RenderProviderError).errorClass).toBe('transient');
    expect((err as Error).message).toMatch(/concurrent/);
  });
});

describe('espeak-ng (offline voice)', () => {
  it('speaks into a real MP3 and refuses a voice name that is not one', async () => {
    const audio = await espeakSpeech({ voiceId: 'en-us', settings: { speed: 1 }, text: '-rf Hello from the offline voice.' });
    const path = join(dir, 'e.mp3');
    await (await import('node:fs/promises')).writeFile(path, audio);
    const probe = await probeMedia(path);
    expect(probe.audioCodec).toBe('mp3');
    expect(probe.meanVolumeDb!).toBeGreaterThan(-60);
    await expect(espeakSpeech({ voiceId: '--help', settings: {}, text: 'x' })).rejects.toThrow(/not an espeak-ng voice/);
  });
});

describe('D-ID (REST client against the fake)', () => {
  it('creates a talk, sees it go created → started → done, downloads a real MP4, finds it by user_data and gets the webhook', async () => {
    const hooks: any[] = [];
    const hookServer = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c)).on('end', () => (hooks.push(JSON.parse(b)), res.writeHead(200).end()));
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const webhook = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
    const created = await createDidJob(didEndpoint, { kind: 'talks', sourceUrl: `${files.url}/face.png`, script: { type: 'audio', audio_url: `${files.url}/speech.mp3` }, userData: 'key-1', webhook });
    expect(created.status).toBe('created');
    expect(did.requests.at(-1)!.authorized).toBe(true);
    expect(did.requests.at(-1)!.body).toMatchObject({ source_url: `${files.url}/face.png`, script: { type: 'audio' }, user_data: 'key-1', webhook });
    let job: DidJob = created;
    const seen = new Set<string>();
    for (let i = 0; i < 100 && job.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await getDidJob(didEndpoint, 'talks', created.id);
      seen.add(job.status);
    }
    expect(seen.has('started')).toBe(true);
    expect(job.status).toBe('done');
    expect((await findDidJob(didEndpoint, 'talks', 'key-1'))?.id).toBe(created.id);
    expect(await findDidJob(didEndpoint, 'talks', 'other')).toBeNull();
    const out = join(dir, 'talk.mp4');
    await downloadDidResult(didEndpoint, job.result_url!, out);
    const probe = await probeMedia(out);
    expect(probe).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac' });
    expect(Math.abs(probe.durationSec - job.duration!)).toBeLessThan(0.5);
    for (let i = 0; i < 40 && !hooks.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(hooks[0]).toMatchObject({ id: created.id, status: 'done' });
    await new Promise<void>((r) => hookServer.close(() => r()));
  });

  it('classifies refusals: 402 quota, 400 face → invalid_image, 451 moderation, 500 transient, 401 auth', async () => {
    const input = { kind: 'talks' as const, sourceUrl: `${files.url}/face.png`, script: { type: 'audio' as const, audio_url: `${files.url}/speech.mp3` }, userData: 'k' };
    did.refuseNext(402);
    expect(await classOf(createDidJob(didEndpoint, input))).toBe('quota');
    did.refuseNext(400);
    expect(await classOf(createDidJob(didEndpoint, input))).toBe('invalid_image');
    did.refuseNext(451);
    expect(await classOf(createDidJob(didEndpoint, input))).toBe('moderation');
    did.refuseNext(500);
    expect(await classOf(createDidJob(didEndpoint, input))).toBe('transient');
    expect(await classOf(createDidJob({ ...didEndpoint, apiKey: 'user:wrong' }, input))).toBe('auth');
  });

  it('classifies a job that ended in error', async () => {
    expect(jobFailure({ id: 't', status: 'error', error: { kind: 'FaceError', description: 'Face not detected' } }).errorClass).toBe('invalid_image');
    expect(jobFailure({ id: 't', status: 'rejected' }).errorClass).toBe('moderation');
    expect(jobFailure({ id: 't', status: 'error', error: { kind: 'InternalServerError', description: 'render crashed' } }).errorClass).toBe('transient');
  });
});
