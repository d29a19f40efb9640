/**
 * Speech to text (voice/stt.ts): espeak-ng speaks a sentence, PocketSphinx transcribes it back
 * (from its WAV and from the 8 kHz μ-law a phone call records); an OpenAI-compatible
 * `/audio/transcriptions` (the fake, multipart as OpenAI takes it) when the tenant has a
 * provider, and PocketSphinx when that provider fails.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertAudio } from '../../voice/audio';
import { parsePocketsphinx } from '../../voice/pocketsphinx';
import { transcribe, type TranscriptionEndpoint } from '../../voice/stt';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { spokenWav, tempStore } from './support';

let media: Awaited<ReturnType<typeof tempStore>>;
let openai: FakeOpenAI;
let endpoint: TranscriptionEndpoint;
let sentence: string;
const SAID = 'I would like to speak to someone about my order';

beforeAll(async () => {
  [media, openai] = await Promise.all([tempStore(), startFakeOpenAI({ apiKeys: ['sk-stt'] })]);
  endpoint = { baseURL: `${openai.url}/v1`, apiKey: 'sk-stt', model: 'whisper-1', policy: { allowedPrivate: ['127.0.0.1'] } };
  sentence = await spokenWav(media.dir, SAID);
});
afterAll(async () => {
  await Promise.all([media?.close(), openai?.close()]);
});

describe('PocketSphinx (offline)', () => {
  it('transcribes what espeak-ng said', async () => {
    const result = await transcribe({ endpoint: null }, { path: sentence, fileName: 'spoken.wav' });
    expect(result.engine).toBe('pocketsphinx');
    expect(result.text).toMatch(/\bwould like\b/);
    expect(result.text).toMatch(/\bspeak\b/);
    expect(result.text).toMatch(/\bsomeone\b/);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it('transcribes a phone recording (8 kHz μ-law WAV)', async () => {
    const phone = join(media.dir, 'phone.wav');
    await convertAudio(sentence, phone, 'telephony');
    const result = await transcribe({ endpoint: null }, { path: phone, fileName: 'phone.wav', language: 'en-US' });
    expect(result.engine).toBe('pocketsphinx');
    expect(result.text).toMatch(/\bwould like\b/);
  });

  it('refuses a language it does not know, and audio that is not audio', async () => {
    await expect(transcribe({ endpoint: null }, { path: sentence, fileName: 'spoken.wav', language: 'de' })).rejects.toThrow(/knows English only/);
    const junk = join(media.dir, 'junk.wav');
    await (await import('node:fs/promises')).writeFile(junk, 'not audio at all');
    await expect(transcribe({ endpoint: null }, { path: junk, fileName: 'junk.wav' })).rejects.toThrow(/not audio ffmpeg can decode/);
  });

  it('reads the hypothesis and the mean posterior of the words', () => {
    const out = 'hello world\n<s> 0.200 0.300 0.999800\nhello 0.310 0.650 0.841710\n[NOISE] 0.650 0.660 0.100000\nworld 0.660 1.160 1.000000\n</s> 1.170 1.660 1.000000\nbye\nbye 2.000 2.400 0.5\n';
    expect(parsePocketsphinx(out)).toEqual({ text: 'hello world bye', confidence: Math.round(((0.84171 + 1 + 0.5) / 3) * 1000) / 1000 });
    expect(parsePocketsphinx('')).toEqual({ text: '', confidence: null });
  });
});

describe('OpenAI-compatible /audio/transcriptions', () => {
  it('uploads the recording as multipart with the model and language', async () => {
    openai.enqueueTranscription({ text: ' I would like to speak to someone about my order. ' });
    const result = await transcribe({ endpoint }, { path: sentence, fileName: 'voicemail.wav', language: 'en-US' });
    expect(result).toEqual({ text: 'I would like to speak to someone about my order.', engine: 'openai', confidence: null });
    const form = openai.transcriptions.at(-1)!;
    expect(form).toMatchObject({ fileName: 'voicemail.wav', model: 'whisper-1', language: 'en', responseFormat: 'json' });
    expect(form.bytes.equals(await readFile(sentence))).toBe(true);
  });

  it('falls back to PocketSphinx when the provider fails or refuses the key', async () => {
    const reasons: string[] = [];
    openai.enqueueTranscription({ status: 500 });
    const failed = await transcribe({ endpoint, onFallback: (r) => reasons.push(r) }, { path: sentence, fileName: 'a.wav' });
    expect(failed.engine).toBe('pocketsphinx');
    expect(failed.text).toMatch(/\bspeak\b/);
    const refused = await transcribe({ endpoint: { ...endpoint, apiKey: 'sk-wrong' }, onFallback: (r) => reasons.push(r) }, { path: sentence, fileName: 'a.wav' });
    expect(refused.engine).toBe('pocketsphinx');
    expect(reasons).toEqual([expect.stringMatching(/^500 /), expect.stringMatching(/^401 Incorrect API key/)]);
  });
});
