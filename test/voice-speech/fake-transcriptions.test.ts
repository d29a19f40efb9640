/**
 * The fake OpenAI's `/v1/audio/transcriptions` answers the `openai` SDK as OpenAI does: each
 * response_format, and refusals (no file, no model, a format or bytes it does not take, a wrong
 * key) in OpenAI's error shape naming the parameter.
 */
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { spokenWav, tempStore } from './support';

let fake: FakeOpenAI;
let media: Awaited<ReturnType<typeof tempStore>>;
let client: OpenAI;
let wav: Buffer;

beforeAll(async () => {
  [fake, media] = await Promise.all([startFakeOpenAI({ apiKeys: ['sk-a'], transcriber: (req) => ({ text: `heard ${req.fileName}`, durationSec: 3.2 }) }), tempStore()]);
  client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-a', maxRetries: 0 });
  wav = await (await import('node:fs/promises')).readFile(await spokenWav(media.dir, 'Hello there.'));
});
afterAll(async () => {
  await Promise.all([fake?.close(), media?.close()]);
});

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: InstanceType<typeof OpenAI.APIError>) => ({ status: e.status, param: e.param, code: e.code, type: e.type, message: e.message }));

describe('fake /v1/audio/transcriptions', () => {
  it('answers json, text, verbose_json, srt and vtt', async () => {
    const file = () => toFile(wav, 'call.wav', { type: 'audio/wav' });
    expect(await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1' })).toEqual({ text: 'heard call.wav', usage: { type: 'duration', seconds: 4 } });
    expect(await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'text' })).toBe('heard call.wav\n');
    const verbose = await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'verbose_json', language: 'en' });
    expect(verbose).toMatchObject({ task: 'transcribe', language: 'english', duration: 3.2, text: 'heard call.wav', segments: [{ id: 0, start: 0, end: 3.2 }] });
    expect(await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'srt' })).toBe('1\n00:00:00,000 --> 00:00:03,200\nheard call.wav\n\n');
    expect(await client.audio.transcriptions.create({ file: await file(), model: 'whisper-1', response_format: 'vtt' })).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:03\.200\n/);
    expect(fake.transcriptions.at(-1)).toMatchObject({ fileName: 'call.wav', contentType: 'audio/wav', model: 'whisper-1', responseFormat: 'vtt' });
  });

  it('refuses what OpenAI refuses, naming the parameter', async () => {
    expect(await refusal(client.audio.transcriptions.create({ file: await toFile(wav, 'call.txt'), model: 'whisper-1' }))).toMatchObject({ status: 400, param: 'file', code: 'invalid_value', type: 'invalid_request_error' });
    expect(await refusal(client.audio.transcriptions.create({ file: await toFile(Buffer.from('plain text'), 'call.wav'), model: 'whisper-1' }))).toMatchObject({ status: 400, param: 'file', message: expect.stringMatching(/corrupted or unsupported/) });
    expect(await refusal(client.audio.transcriptions.create({ file: await toFile(wav, 'call.wav'), model: '' }))).toMatchObject({ status: 400, param: 'model' });
    expect(await refusal(client.audio.transcriptions.create({ file: await toFile(wav, 'call.wav'), model: 'whisper-1', language: 'english' }))).toMatchObject({ status: 400, param: 'language' });
    expect(await refusal(client.post('/audio/transcriptions', { body: { model: 'whisper-1' } }))).toMatchObject({ status: 400, message: expect.stringMatching(/expected multipart\/form-data/) });
    const wrongKey = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-b', maxRetries: 0 });
    expect(await refusal(wrongKey.audio.transcriptions.create({ file: await toFile(wav, 'call.wav'), model: 'whisper-1' }))).toMatchObject({ status: 401, code: 'invalid_api_key' });
    fake.enqueueTranscription({ status: 429, error: 'Rate limit reached for whisper-1' });
    expect(await refusal(client.audio.transcriptions.create({ file: await toFile(wav, 'call.wav'), model: 'whisper-1' }))).toMatchObject({ status: 429, type: 'rate_limit_error' });
  });
});
