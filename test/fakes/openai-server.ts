/**
 * A local OpenAI-compatible server for tests and benchmarks. Speaks the real wire format of
 * POST /v1/chat/completions (JSON, or SSE `data: {...}` chunks ending in `data: [DONE]`, usage in
 * a final chunk when `stream_options.include_usage`; tool calls streamed as index + partial
 * arguments), POST /v1/embeddings (deterministic vectors; requests can be held), POST /v1/rerank and
 * POST /v1/audio/transcriptions (multipart; openai-transcriptions.ts).
 * Responses are scripted per test. Requests are checked as OpenAI checks them (openai-checks.ts): a
 * missing or unknown key, or a malformed chat body, gets the provider's own 401 or 400.
 *
 *   const fake = await startFakeOpenAI();
 *   fake.enqueue({ content: 'Hello!' }, { status: 500 });   // served in order
 *   fake.script((req) => ({ content: `echo ${req.body.messages.at(-1).content}` })); // when the queue is empty
 *   new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test' });
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkChatBody, checkEmbeddingsBody, checkKey, type ProviderError } from './openai-checks';
import { readTranscriptionForm, transcriptionBody, type TranscriptionAnswer, type Transcriber, type TranscriptionRequest } from './openai-transcriptions';

export interface FakeToolCall {
  id?: string;
  name: string;
  /** JSON text, streamed in pieces of `chunkSize` characters. */
  arguments: string;
}

export interface FakeResponse {
  content?: string;
  toolCalls?: FakeToolCall[];
  /** Defaults: prompt = characters of the request's messages / 4, completion = characters of the answer / 4. */
  usage?: { promptTokens: number; completionTokens: number };
  /** Non-200 answers with an OpenAI-style error body (e.g. 500, 401, 429). */
  status?: number;
  error?: string;
  /** Wait this long before answering (ms). The wait ends early if the client disconnects. */
  delayMs?: number;
  /** Characters per streamed content delta (default 4). */
  chunkSize?: number;
  /** Pause between streamed chunks (ms). */
  chunkDelayMs?: number;
  /** Stream some content, then drop the connection (a provider dying mid-answer). */
  dropAfterChunks?: number;
  model?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string | undefined>;
  body: any;
  at: number;
}

export type Responder = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeOpenAI {
  /** Base URL without `/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** Chat completion requests only. */
  readonly chatRequests: RecordedRequest[];
  /** Every accepted `/v1/audio/transcriptions` form (file bytes, model, language…). */
  transcriptions: TranscriptionRequest[];
  /** Answers for the next transcriptions, served in order before the transcriber. */
  enqueueTranscription(...answers: TranscriptionAnswer[]): void;
  /** What the fake hears in a file when nothing is queued (default: the transcriber option, else "hello from the fake"). */
  transcriber(next: Transcriber): void;
  /** Queue responses, served in order before the script. */
  enqueue(...responses: FakeResponse[]): void;
  /**
   * Holds `/v1/embeddings` requests whose input texts match until the returned release is called
   * (or the client goes away): an ingestion can be caught mid-way while queries are still answered.
   */
  holdEmbeddings(match: (texts: string[]) => boolean): () => void;
  /** Replace the default responder (a function of the request) or the queue (an array). */
  script(responder: Responder | FakeResponse[]): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  port?: number;
  /** Default responder when nothing is queued: echoes the last user message. */
  responder?: Responder;
  model?: string;
  /** The API keys it accepts (default: any non-empty Bearer key). */
  apiKeys?: string[];
  /** Dimension of /v1/embeddings vectors (default 64). */
  embeddingDimensions?: number;
  /**
   * Relevance of a document to a query for `/v1/rerank` (the Cohere/Jina-style rerank API);
   * default: how many of the query's words the document contains.
   */
  rerankScore?: (query: string, document: string) => number;
  /** What `/v1/audio/transcriptions` hears in a file (default: "hello from the fake"). */
  transcriber?: Transcriber;
}

const defaultResponder: Responder = (req) => {
  const last = [...(req.body?.messages ?? [])].reverse().find((m: { role: string }) => m.role === 'user');
  return { content: `You said: ${typeof last?.content === 'string' ? last.content : ''}` };
};

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let queue: FakeResponse[] = [];
  let responder = opts.responder ?? defaultResponder;
  const requests: RecordedRequest[] = [];
  const model = opts.model ?? 'fake-gpt';
  const holds = new Set<{ match: (texts: string[]) => boolean; released: Promise<void> }>();
  const transcriptions: TranscriptionRequest[] = [];
  let heard: TranscriptionAnswer[] = [];
  const defaultTranscriber: Transcriber = opts.transcriber ?? (() => ({ text: 'hello from the fake' }));
  let transcriber = defaultTranscriber;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const bytes = await readBody(req);
    const multipart = /^multipart\//.test(req.headers['content-type'] ?? '');
    const raw = multipart ? '' : bytes.toString('utf8');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: flatHeaders(req), body: raw ? safeJson(raw) : undefined, at: Date.now() };
    requests.push(recorded);
    const path = recorded.path.split('?')[0];
    const refused = (e: ProviderError | null) => (e ? (sendJson(res, e.status, e.body), true) : false);
    const known = ['POST /v1/chat/completions', 'POST /v1/embeddings', 'POST /v1/rerank', 'POST /v1/audio/transcriptions', 'GET /v1/models'].includes(`${req.method} ${path}`);
    if (!known) return sendError(res, 404, `no route ${req.method} ${path}`);
    if (refused(checkKey(recorded.headers.authorization, opts.apiKeys))) return;
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      if (refused(checkChatBody(recorded.body))) return;
      const scripted = queue.length ? queue.shift()! : await responder(recorded);
      return chat(recorded, scripted, req, res);
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      if (refused(checkEmbeddingsBody(recorded.body))) return;
      const texts = inputTexts(recorded);
      for (const hold of holds) if (hold.match(texts)) await Promise.race([hold.released, new Promise((closed) => req.socket.once('close', closed))]);
      if (res.destroyed) return;
      return embeddings(recorded, res, opts.embeddingDimensions ?? 64);
    }
    if (req.method === 'POST' && path === '/v1/rerank') return rerank(recorded, res, opts.rerankScore ?? sharedWords);
    if (req.method === 'POST' && path === '/v1/audio/transcriptions') {
      const form = await readTranscriptionForm(bytes, req.headers['content-type']);
      if ('status' in form) return sendJson(res, form.status, form.body);
      transcriptions.push(form);
      const answer = heard.length ? heard.shift()! : await transcriber(form);
      if ('status' in answer) return sendError(res, answer.status, answer.error ?? `scripted HTTP ${answer.status}`);
      const [type, body] = transcriptionBody(form, answer.text, answer.durationSec ?? 2);
      res.writeHead(200, { 'content-type': type });
      return void res.end(body);
    }
    sendJson(res, 200, { object: 'list', data: [{ id: model, object: 'model', owned_by: 'fake' }] });
  }

  async function chat(recorded: RecordedRequest, r: FakeResponse, req: IncomingMessage, res: ServerResponse) {
    if (r.delayMs) await sleep(r.delayMs, req);
    if (req.socket.destroyed || res.destroyed) return;
    if (r.status && r.status !== 200) return sendError(res, r.status, r.error ?? `scripted HTTP ${r.status}`);
    const body = recorded.body ?? {};
    const answerModel = r.model ?? body.model ?? model;
    const content = r.content ?? (r.toolCalls?.length ? null : '');
    const toolCalls = (r.toolCalls ?? []).map((t, i) => ({ id: t.id ?? `call_${i}_${hash(t.name + t.arguments).slice(0, 8)}`, name: t.name, arguments: t.arguments }));
    const usage = r.usage ?? { promptTokens: Math.ceil(JSON.stringify(body.messages ?? []).length / 4), completionTokens: Math.ceil(((content ?? '') + toolCalls.map((t) => t.arguments).join('')).length / 4) };
    const usageJson = { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens };
    const id = `chatcmpl-${hash(String(Date.now()) + Math.random()).slice(0, 12)}`;
    const created = Math.floor(Date.now() / 1000);
    const finish = toolCalls.length ? 'tool_calls' : 'stop';

    if (!body.stream) {
      const message = {
        role: 'assistant',
        content,
        ...(toolCalls.length ? { tool_calls: toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } })) } : {}),
      };
      return sendJson(res, 200, { id, object: 'chat.completion', created, model: answerModel, choices: [{ index: 0, message, finish_reason: finish }], usage: usageJson });
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: object, finishReason: string | null = null) => ({ id, object: 'chat.completion.chunk', created, model: answerModel, choices: [{ index: 0, delta, finish_reason: finishReason }] });
    const events: object[] = [chunk({ role: 'assistant', content: '' })];
    const size = Math.max(1, r.chunkSize ?? 4);
    for (const piece of pieces(content ?? '', size)) events.push(chunk({ content: piece }));
    toolCalls.forEach((t, index) => {
      events.push(chunk({ tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] }));
      for (const piece of pieces(t.arguments, size)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
    events.push(chunk({}, finish));
    if (body.stream_options?.include_usage) events.push({ id, object: 'chat.completion.chunk', created, model: answerModel, choices: [], usage: usageJson });

    for (let i = 0; i < events.length; i++) {
      if (r.dropAfterChunks !== undefined && i >= r.dropAfterChunks) {
        // Let the written chunks reach the client before the connection drops.
        await sleep(50, req);
        return void res.destroy();
      }
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify(events[i])}\n\n`);
      if (r.chunkDelayMs) await sleep(r.chunkDelayMs, req);
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    get chatRequests() {
      return requests.filter((r) => r.path.startsWith('/v1/chat/completions'));
    },
    transcriptions,
    enqueueTranscription: (...answers) => void heard.push(...answers),
    transcriber(next) {
      transcriber = next;
    },
    enqueue: (...responses) => void queue.push(...responses),
    holdEmbeddings(match) {
      let release!: () => void;
      const hold = { match, released: new Promise<void>((resolve) => (release = resolve)) };
      holds.add(hold);
      return () => {
        holds.delete(hold);
        release();
      };
    },
    script(next) {
      if (Array.isArray(next)) queue = [...next];
      else responder = next;
    },
    reset() {
      queue = [];
      heard = [];
      transcriber = defaultTranscriber;
      requests.length = 0;
      transcriptions.length = 0;
      responder = opts.responder ?? defaultResponder;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Deterministic unit vectors from the text's hash: same text, same vector; no model needed. */
function inputTexts(recorded: RecordedRequest): string[] {
  const input: unknown = recorded.body?.input;
  return Array.isArray(input) ? input.map(String) : [String(input ?? '')];
}

function embeddings(recorded: RecordedRequest, res: ServerResponse, dims: number) {
  const texts = inputTexts(recorded);
  const data = texts.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(text, recorded.body?.dimensions ?? dims) }));
  const tokens = texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
  sendJson(res, 200, { object: 'list', data, model: recorded.body?.model ?? 'fake-embedding', usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
const sharedWords = (query: string, document: string) => {
  const doc = words(document);
  return [...words(query)].filter((w) => doc.has(w)).length;
};

function rerank(recorded: RecordedRequest, res: ServerResponse, score: (query: string, document: string) => number) {
  const { query, documents, top_n: topN } = recorded.body ?? {};
  if (typeof query !== 'string' || !Array.isArray(documents)) return sendError(res, 400, 'query and documents are required');
  const results = documents
    .map((d: unknown, index: number) => ({ index, relevance_score: score(query, String(d)) }))
    .sort((a: { relevance_score: number }, b: { relevance_score: number }) => b.relevance_score - a.relevance_score)
    .slice(0, typeof topN === 'number' ? topN : documents.length);
  sendJson(res, 200, { id: hash(query), results, meta: { billed_units: { search_units: 1 } } });
}

export function vectorFor(text: string, dims: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dims; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && values.length < dims; i += 2) values.push(digest.readUInt16BE(i) / 32767.5 - 1);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => v / norm);
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex');

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sleep(ms: number, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    req.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string) {
  const type = status === 401 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : status === 429 ? 'rate_limit_error' : 'server_error';
  sendJson(res, status, { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } });
}
