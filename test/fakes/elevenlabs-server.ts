/**
 * A local ElevenLabs API for tests and benchmarks, speaking its wire format:
 * `POST /v1/text-to-speech/{voice_id}?output_format=mp3_44100_128` with the `xi-api-key` header and
 * `{text, model_id, voice_settings}` answers real MP3 audio (made with ffmpeg: a tone lasting as
 * long as the text takes to say at 150 words a minute) and `x-character-count`; the streaming
 * endpoint `POST /v1/text-to-speech/{voice_id}/stream` sends the same MP3 in chunks (chunked
 * transfer encoding, no length); `GET /v1/voices` lists the voices. Errors have ElevenLabs' bodies: 401 `invalid_api_key` / `quota_exceeded`,
 * 404 `voice_not_found`, 422 FastAPI validation details, 429 `too_many_concurrent_requests`, 500.
 * For the speech quality checks a synthesis can also answer 200 with no audio, with bytes that
 * are not audio, or with a stream that breaks off after its first chunk.
 *
 *   const fake = await startFakeElevenLabs({ apiKey: 'xi-test' });
 *   fake.failNext(429);            // the next synthesis answers 429
 *   fake.answerNext('empty');      // the next synthesis answers 200 with bad audio ('empty' | 'not-audio' | 'drop')
 *   fake.syntheses                 // how many audio files were made (cache tests count these)
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { requestBody } from './request-body';

const run = promisify(execFile);
/** Bytes per chunk of a streamed answer. */
const STREAM_CHUNK = 4096;

export const FAKE_VOICES = [
  { voice_id: '21m00Tcm4TlvDq8ikWAM', name: 'Rachel', category: 'premade' },
  { voice_id: 'pNInz6obpgDQGcFmaJgB', name: 'Adam', category: 'premade' },
];

export interface FakeElevenLabs {
  url: string;
  /** Every request: method, path, key header and parsed JSON body. */
  requests: { method: string; path: string; apiKey: string | undefined; body: any; query: Record<string, string> }[];
  /** Successful syntheses (characters billed = sum of their text lengths). */
  syntheses: number;
  /** Of those, the ones answered on the streaming endpoint. */
  streamed: number;
  characters: number;
  /** The next synthesis answers this status with ElevenLabs' body for it. */
  failNext(status: 401 | 422 | 429 | 500, opts?: { quota?: boolean }): void;
  /** The next synthesis answers 200 with audio that fails a quality check: none, bytes that are not audio, or a stream cut after its first chunk. */
  answerNext(kind: BadAnswer): void;
  close(): Promise<void>;
}

export type BadAnswer = 'empty' | 'not-audio' | 'drop';

export async function startFakeElevenLabs(opts: { apiKey?: string; maxConcurrent?: number; port?: number } = {}): Promise<FakeElevenLabs> {
  const apiKey = opts.apiKey ?? 'xi-test-key';
  const maxConcurrent = opts.maxConcurrent ?? 5;
  const failures: { status: number; quota?: boolean; bad?: BadAnswer }[] = [];
  const audioCache = new Map<string, Buffer>();
  let inFlight = 0;

  const fake: FakeElevenLabs = {
    url: '',
    requests: [],
    syntheses: 0,
    streamed: 0,
    characters: 0,
    failNext: (status, o = {}) => void failures.push({ status, quota: o.quota }),
    answerNext: (bad) => void failures.push({ status: 200, bad }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const detail = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { detail: { status: code, message } });

  async function synthesize(voiceId: string, body: any, query: Record<string, string>, res: ServerResponse, stream: boolean) {
    if (!FAKE_VOICES.some((v) => v.voice_id === voiceId)) return detail(res, 404, 'voice_not_found', `A voice with the voice_id ${voiceId} was not found.`);
    if (typeof body?.text !== 'string' || !body.text.trim()) {
      return json(res, 422, { detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }] });
    }
    if (query.output_format && !/^(mp3|pcm|ulaw|opus)_\d+(_\d+)?$/.test(query.output_format)) {
      return json(res, 422, { detail: [{ loc: ['query', 'output_format'], msg: 'value is not a valid enumeration member', type: 'type_error.enum' }] });
    }
    const failure = failures.shift();
    if (failure?.status === 401) {
      return failure.quota
        ? detail(res, 401, 'quota_exceeded', `This request exceeds your quota of 10000. You have 0 credits remaining, while ${body.text.length} credits are required for this request.`)
        : detail(res, 401, 'invalid_api_key', 'Invalid API key');
    }
    if (failure?.status === 429) return detail(res, 429, 'too_many_concurrent_requests', 'Your current subscription is associated with a maximum of 5 concurrent requests running in parallel.');
    if (failure?.status === 422) return json(res, 422, { detail: [{ loc: ['body', 'voice_settings', 'stability'], msg: 'ensure this value is less than or equal to 1.0', type: 'value_error' }] });
    if (failure?.bad === 'empty') return res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': 0 }).end();
    if (failure?.bad === 'not-audio') return res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(Buffer.from('<html><body>Service temporarily unavailable</body></html>'));
    if (failure && failure.status !== 200) return detail(res, failure.status, 'internal_error', 'An internal error occurred.');
    if (inFlight >= maxConcurrent) return detail(res, 429, 'too_many_concurrent_requests', `Your current subscription is associated with a maximum of ${maxConcurrent} concurrent requests running in parallel.`);
    inFlight++;
    try {
      const audio = await toneFor(body.text);
      if (failure?.bad === 'drop') {
        // Headers and the first chunk, then the connection breaks off mid-stream.
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        res.write(audio.subarray(0, STREAM_CHUNK));
        await new Promise((resolve) => setTimeout(resolve, 20));
        return void res.socket?.destroy();
      }
      fake.syntheses++;
      fake.characters += body.text.length;
      const headers = { 'content-type': 'audio/mpeg', 'x-character-count': String(body.text.length), 'request-id': `req_${fake.syntheses}` };
      if (!stream) return void res.writeHead(200, { ...headers, 'content-length': audio.length }).end(audio);
      fake.streamed++;
      // No content-length: node sends it chunked, as ElevenLabs streams.
      res.writeHead(200, headers);
      for (let at = 0; at < audio.length; at += STREAM_CHUNK) {
        res.write(audio.subarray(at, at + STREAM_CHUNK));
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    } finally {
      inFlight--;
    }
  }

  /** A 220 Hz tone as long as the text takes to say (150 words a minute), as 128 kbit/s MP3. */
  async function toneFor(text: string): Promise<Buffer> {
    const words = text.trim().split(/\s+/).length;
    const seconds = Math.max(1, (words / 150) * 60).toFixed(2);
    const cached = audioCache.get(seconds);
    if (cached) return cached;
    const { stdout } = await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}:sample_rate=44100`, '-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3', 'pipe:1'], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    audioCache.set(seconds, stdout);
    return stdout;
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await requestBody(req);
    let body: any = null;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
    } catch {
      return json(res, 400, { detail: { status: 'invalid_json', message: 'The request body is not valid JSON.' } });
    }
    const key = req.headers['xi-api-key'] as string | undefined;
    const query = Object.fromEntries(url.searchParams);
    fake.requests.push({ method: req.method ?? 'GET', path: url.pathname, apiKey: key, body, query });
    if (key !== apiKey) return detail(res, 401, 'invalid_api_key', 'Invalid API key');
    const tts = /^\/v1\/text-to-speech\/([^/]+)(\/stream)?$/.exec(url.pathname);
    if (req.method === 'POST' && tts) return synthesize(decodeURIComponent(tts[1]), body, query, res, Boolean(tts[2]));
    if (req.method === 'GET' && url.pathname === '/v1/voices') {
      return json(res, 200, { voices: FAKE_VOICES.map((v) => ({ ...v, labels: {}, preview_url: null, settings: null })) });
    }
    return json(res, 404, { detail: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
