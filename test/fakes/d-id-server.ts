/**
 * A local D-ID API for tests and benchmarks, speaking its REST wire format with Basic auth:
 * `POST /talks` (`source_url`, `script` `{type: 'audio', audio_url}` or `{type: 'text', input}`,
 * `config`, `webhook`, `user_data`) and `POST /clips` (`presenter_id`) answer 201
 * `{id, object, created_at, status: 'created'}`; `GET /talks/{id}` goes `created` → `started` →
 * `done` with `result_url` and `duration` after the render time (or `error` with `{kind,
 * description}`); `GET /talks?limit=` lists them with their `user_data`; `GET /credits`. The
 * result is a real MP4 made with ffmpeg from the fetched image and audio (H.264 + AAC), served
 * at `result_url`. When done, the talk is POSTed to its `webhook` (D-ID does not sign webhooks).
 * Errors have D-ID's bodies: 401 `AuthorizationError`, 402 `InsufficientCreditsError`, 400
 * `BadRequestError`/`ValidationError`/`FaceError`, 451 `ContentModerationError`, 500.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requestBody } from './request-body';

const run = promisify(execFile);

type Kind = 'talks' | 'clips';
interface Job {
  id: string;
  kind: Kind;
  createdAt: number;
  doneAt: number;
  body: any;
  file: string | null;
  duration: number | null;
  error: { kind: string; description: string } | null;
  webhookSent: boolean;
  corrupt: boolean;
}

export interface FakeDid {
  url: string;
  /** Every request (method, path, parsed body, authorization ok?). */
  requests: { method: string; path: string; body: any; authorized: boolean }[];
  /** Jobs created (paid for): a "billed once" test counts these. */
  readonly created: number;
  /** Credits left; a create with none answers 402. */
  credits: number;
  /** How long a job renders before it is done (ms). */
  renderMs: number;
  /** The next create answers this refusal. */
  refuseNext(status: 400 | 402 | 451 | 500, kind?: string, description?: string): void;
  /** The next job ends in `error` with this kind. */
  failNextJob(kind: string, description: string): void;
  /** The next job's result is a truncated, unreadable MP4. */
  corruptNextResult(): void;
  /** Webhook POSTs made (url, status answered). */
  webhooks: { url: string; status: number }[];
  close(): Promise<void>;
}

export async function startFakeDid(opts: { apiKey?: string; renderMs?: number; credits?: number } = {}): Promise<FakeDid> {
  const apiKey = opts.apiKey ?? 'test-user:test-secret';
  const expectedAuth = `Basic ${Buffer.from(apiKey).toString('base64')}`;
  const dir = await mkdtemp(join(tmpdir(), 'fake-did-'));
  const jobs = new Map<string, Job>();
  const refusals: { status: number; kind?: string; description?: string }[] = [];
  const jobFailures: { kind: string; description: string }[] = [];
  let corruptNext = false;

  const fake: FakeDid = {
    url: '',
    requests: [],
    get created() {
      return jobs.size;
    },
    credits: opts.credits ?? 1000,
    renderMs: opts.renderMs ?? 500,
    refuseNext: (status, kind, description) => void refusals.push({ status, kind, description }),
    failNextJob: (kind, description) => void jobFailures.push({ kind, description }),
    corruptNextResult: () => void (corruptNext = true),
    webhooks: [],
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };

  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const refuse = (res: ServerResponse, status: number, kind: string, description: string) => json(res, status, { kind, description });

  const view = (job: Job) => {
    const now = Date.now();
    const status = job.error && now >= job.doneAt ? 'error' : now >= job.doneAt && job.file ? 'done' : now - job.createdAt > 50 ? 'started' : 'created';
    return {
      id: job.id,
      object: job.kind === 'talks' ? 'talk' : 'clip',
      user_id: 'auth0|fake',
      created_at: new Date(job.createdAt).toISOString(),
      created_by: 'auth0|fake',
      status,
      ...(job.kind === 'talks' ? { source_url: job.body.source_url } : { presenter_id: job.body.presenter_id }),
      ...(job.body.script?.audio_url ? { audio_url: job.body.script.audio_url } : {}),
      user_data: job.body.user_data,
      config: job.body.config ?? {},
      ...(status !== 'created' ? { started_at: new Date(job.createdAt + 50).toISOString() } : {}),
      ...(status === 'done' ? { result_url: `${fake.url}/results/${job.id}.mp4`, duration: job.duration } : {}),
      ...(status === 'error' ? { error: job.error } : {}),
      modified_at: new Date(Math.min(now, job.doneAt)).toISOString(),
    };
  };

  async function fetchBytes(url: string): Promise<Buffer> {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** Makes the job's MP4: the presenter image (or a test card for a clip) for as long as the audio plays. */
  async function render(job: Job): Promise<void> {
    const out = join(dir, `${job.id}.mp4`);
    const inputs: string[] = [];
    if (job.kind === 'talks') {
      const image = join(dir, `${job.id}.img`);
      await writeFile(image, await fetchBytes(job.body.source_url));
      inputs.push('-loop', '1', '-i', image);
    } else inputs.push('-f', 'lavfi', '-i', 'testsrc=size=512x512:rate=25');
    if (job.body.script.type === 'audio') {
      const audio = join(dir, `${job.id}.audio`);
      await writeFile(audio, await fetchBytes(job.body.script.audio_url));
      inputs.push('-i', audio);
    } else {
      const words = String(job.body.script.input).trim().split(/\s+/).length;
      inputs.push('-f', 'lavfi', '-i', `sine=frequency=220:duration=${Math.max(1, (words / 150) * 60).toFixed(2)}`);
    }
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-map', '0:v', '-map', '1:a', '-shortest', '-vf', 'scale=512:512,format=yuv420p', '-r', '25', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-b:a', '96k', '-movflags', '+faststart', out]);
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out]);
    job.duration = Math.round(Number(String(probe.stdout).trim()) * 100) / 100;
    if (job.corrupt) {
      const bytes = await readFile(out);
      await writeFile(out, bytes.subarray(0, Math.min(4096, bytes.length >> 4)));
    }
    job.file = out;
  }

  function scheduleWebhook(job: Job) {
    if (!job.body.webhook) return;
    const fire = async () => {
      if (job.webhookSent) return;
      if (Date.now() < job.doneAt || (!job.file && !job.error)) return void setTimeout(fire, 50);
      job.webhookSent = true;
      try {
        const res = await fetch(job.body.webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(view(job)) });
        fake.webhooks.push({ url: job.body.webhook, status: res.status });
      } catch {
        fake.webhooks.push({ url: job.body.webhook, status: 0 });
      }
    };
    setTimeout(fire, Math.max(0, job.doneAt - Date.now()));
  }

  async function create(kind: Kind, body: any, res: ServerResponse) {
    const refusal = refusals.shift();
    if (refusal?.status === 402 || fake.credits < 1) return refuse(res, 402, 'InsufficientCreditsError', 'not enough credits');
    if (refusal?.status === 451) return refuse(res, 451, refusal.kind ?? 'ContentModerationError', refusal.description ?? 'The content was flagged by moderation');
    if (refusal?.status === 400) return refuse(res, 400, refusal.kind ?? 'FaceError', refusal.description ?? 'Face not detected in source image');
    if (refusal) return refuse(res, refusal.status, 'InternalServerError', 'internal server error');
    if (kind === 'talks' && typeof body?.source_url !== 'string') return refuse(res, 400, 'ValidationError', 'source_url is required');
    if (kind === 'clips' && typeof body?.presenter_id !== 'string') return refuse(res, 400, 'ValidationError', 'presenter_id is required');
    const script = body?.script;
    const scriptOk = script?.type === 'audio' ? typeof script.audio_url === 'string' : script?.type === 'text' && typeof script.input === 'string' && script.input.trim();
    if (!scriptOk) return refuse(res, 400, 'ValidationError', 'script is invalid');
    const id = `${kind === 'talks' ? 'tlk' : 'clp'}_${randomBytes(9).toString('base64url')}`;
    const now = Date.now();
    const failure = jobFailures.shift() ?? null;
    const job: Job = { id, kind, createdAt: now, doneAt: now + fake.renderMs, body, file: null, duration: null, error: failure, webhookSent: false, corrupt: corruptNext };
    corruptNext = false;
    jobs.set(id, job);
    fake.credits -= 1;
    if (!failure) {
      render(job).catch((err: Error) => {
        job.error = { kind: 'FaceError', description: `could not read the source: ${err.message}` };
      });
    }
    scheduleWebhook(job);
    json(res, 201, { id, object: kind === 'talks' ? 'talk' : 'clip', created_by: 'auth0|fake', created_at: new Date(now).toISOString(), status: 'created' });
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await requestBody(req);
    let body: any = null;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
    } catch {
      return refuse(res, 400, 'BadRequestError', 'invalid JSON body');
    }
    const authorized = req.headers.authorization === expectedAuth;
    fake.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body, authorized });
    // Results are presigned S3 URLs at D-ID: no auth header.
    const result = /^\/results\/([\w-]+)\.mp4$/.exec(url.pathname);
    if (req.method === 'GET' && result) {
      const job = jobs.get(result[1]);
      if (!job?.file) return res.writeHead(404).end();
      const bytes = await readFile(job.file);
      return res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': (await stat(job.file)).size }).end(bytes);
    }
    if (!authorized) return json(res, 401, { kind: 'AuthorizationError', description: 'Unauthorized' });
    const m = /^\/(talks|clips)(?:\/([\w-]+))?$/.exec(url.pathname);
    if (m && req.method === 'POST' && !m[2]) return create(m[1] as Kind, body, res);
    if (m && req.method === 'GET' && m[2]) {
      const job = jobs.get(m[2]);
      if (!job || job.kind !== m[1]) return refuse(res, 404, 'NotFoundError', `${m[1].slice(0, -1)} not found`);
      return json(res, 200, view(job));
    }
    if (m && req.method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const list = [...jobs.values()].filter((j) => j.kind === m[1]).sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
      return json(res, 200, { [m[1]]: list.map(view) });
    }
    if (req.method === 'GET' && url.pathname === '/credits') return json(res, 200, { credits: [], remaining: fake.credits, total: opts.credits ?? 1000 });
    return refuse(res, 404, 'NotFoundError', 'route not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
