/**
 * A local fake of Meta's Graph API for the WhatsApp Cloud API and the Messenger Send API. It
 * accepts exactly the requests the real one does and refuses the rest with Graph's error shape:
 *
 *   POST /vXX.X/{phone-number-id}/messages   text | template | image/video/audio/document | interactive
 *   GET  /vXX.X/{phone-number-id}             number details (test connection)
 *   GET  /vXX.X/{media-id}                    → { url, mime_type, ... }; GET that url with the token → bytes
 *   POST /vXX.X/me/messages                   Messenger: message or sender_action
 *   GET  /vXX.X/me                            the page the token belongs to
 *   GET  /cdn/{id}                            Messenger attachment bytes (pre-signed, no token)
 *   POST/GET /vXX.X/{waba-id}/message_templates  WhatsApp templates (graph-api-templates.ts)
 *
 * Tokens are checked per phone number and per page (a media id only with its number's token, when
 * it has one), and a POST must carry a JSON body as `application/json`. Failure modes are
 * programmable (`failNext(2, { status: 429, retryAfter: '1' })`, `slowNext(1, 5000, 'typing_off')`),
 * and `post` delivers webhooks as Meta writes and signs them (meta-webhooks.ts: `\/` and `\uXXXX`
 * escapes, X-Hub-Signature-256 over those exact bytes, `application/json`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateMessengerBody, validateWhatsAppBody } from './graph-api-bodies';
import { metaJson } from './meta-webhooks';
import { fakeTemplateStore, type FakeTemplate } from './graph-api-templates';

export interface GraphRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: any;
  at: number;
}

export interface SentMessage {
  id: string;
  product: 'whatsapp' | 'messenger';
  /** Phone number id or page id. */
  from: string;
  body: any;
}

export interface Failure {
  status: number;
  retryAfter?: string;
  code?: number;
  message?: string;
}

export interface FakeGraphApi {
  url: string;
  requests: GraphRequest[];
  /** Messages accepted (sender actions excluded). */
  sent: SentMessage[];
  senderActions: { psid: string; action: string }[];
  addWhatsAppNumber(n: { phoneNumberId: string; accessToken: string; displayPhoneNumber?: string; verifiedName?: string }): void;
  addPage(p: { pageId: string; accessToken: string; name?: string }): void;
  /**
   * A file reachable through GET /{mediaId} (WhatsApp) and GET /cdn/{mediaId} (Messenger);
   * `chunked` serves it without a Content-Length, as CDNs streaming a file do; `owner`, the phone
   * number id whose token alone may read it (default: any WhatsApp number's token).
   */
  addMedia(mediaId: string, data: Buffer, mimeType: string, opts?: { chunked?: boolean; owner?: string }): string;
  /** The next `count` message sends answer with this failure. */
  failNext(count: number, failure: Failure): void;
  /** The next `count` message sends (or Messenger sender actions of that name) answer after `ms`. */
  slowNext(count: number, ms: number, kind?: 'message' | 'mark_seen' | 'typing_on' | 'typing_off'): void;
  /** POSTs `body` to `url` as Meta does: escaped like Meta's JSON, signed with `appSecret` (or the given signature). */
  post(url: string, appSecret: string, body: unknown, opts?: { signature?: string | null }): Promise<{ status: number; body: any }>;
  /** A WhatsApp business account whose templates this token manages. */
  addBusinessAccount(wabaId: string, accessToken: string): void;
  templatesOf(wabaId: string): FakeTemplate[];
  /** Decides a submitted template, as Meta's review does. */
  reviewTemplate(id: string, status: string, reason?: string): FakeTemplate;
  close(): Promise<void>;
}

const graphError = (message: string, code = 100, type = 'OAuthException') => ({ error: { message, type, code, fbtrace_id: randomBytes(6).toString('hex') } });

export async function startFakeGraphApi(): Promise<FakeGraphApi> {
  const numbers = new Map<string, { accessToken: string; displayPhoneNumber: string; verifiedName: string }>();
  const pages = new Map<string, { pageId: string; name: string }>();
  const media = new Map<string, { data: Buffer; mimeType: string; chunked?: boolean; owner?: string }>();
  const failures: Failure[] = [];
  const delays: { kind: string; ms: number }[] = [];
  const requests: GraphRequest[] = [];
  const sent: SentMessage[] = [];
  const senderActions: { psid: string; action: string }[] = [];
  const templateStore = fakeTemplateStore(graphError);
  let url = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const token = (req: IncomingMessage, query: URLSearchParams) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? query.get('access_token') ?? '';
  const delayIfScheduled = async (kind: string) => {
    const i = delays.findIndex((d) => d.kind === kind);
    if (i >= 0) await new Promise((resolve) => setTimeout(resolve, delays.splice(i, 1)[0].ms));
  };
  const failIfScheduled = (res: ServerResponse): boolean => {
    const failure = failures.shift();
    if (!failure) return false;
    const code = failure.code ?? (failure.status === 429 ? 130429 : 1);
    send(res, failure.status, graphError(failure.message ?? `scripted failure ${failure.status}`, code), failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    return true;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const parsed = new URL(req.url ?? '/', 'http://fake');
    let body: any = null;
    // Graph reads a body by its content type: JSON sent as anything else is not read as JSON.
    if (raw && !/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return send(res, 400, graphError(`(#100) Unsupported content type ${req.headers['content-type'] ?? '(none)'}: send the body as application/json`));
    }
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, graphError('Invalid JSON body'));
      }
    }
    requests.push({ method: req.method ?? 'GET', path: parsed.pathname + parsed.search, headers: req.headers as Record<string, string | undefined>, body, at: Date.now() });

    const cdn = /^\/cdn\/([^/]+)$/.exec(parsed.pathname);
    if (cdn && req.method === 'GET') return serveFile(res, cdn[1]);
    const download = /^\/media-download\/([^/]+)$/.exec(parsed.pathname);
    if (download && req.method === 'GET') {
      if (!mayReadMedia(download[1], token(req, parsed.searchParams))) return send(res, 401, graphError('Invalid OAuth access token.', 190));
      return serveFile(res, download[1]);
    }

    const m = /^\/v\d+\.\d+\/([^/]+)(?:\/([^/]+))?$/.exec(parsed.pathname);
    if (!m) return send(res, 404, graphError(`Unknown path ${parsed.pathname}`, 803));
    const [, node, edge] = m;
    const auth = token(req, parsed.searchParams);

    if (node === 'me') return handleMessenger(req, res, edge, auth, body);
    // A page id names its page: only that page's token may use it.
    if ([...pages.values()].some((p) => p.pageId === node)) {
      if (pages.get(auth)?.pageId !== node) return send(res, 401, graphError('Invalid OAuth access token.', 190));
      return handleMessenger(req, res, edge, auth, body);
    }
    if (edge === 'message_templates') {
      const answer = templateStore.handle(req.method ?? 'GET', node, auth, body, parsed.searchParams);
      if (answer) return send(res, answer.status, answer.body);
    }
    if (edge === 'messages' && req.method === 'POST') {
      const number = numbers.get(node);
      if (!number) return send(res, 400, graphError(`Unsupported post request. Object with ID '${node}' does not exist`, 100));
      if (number.accessToken !== auth) return send(res, 401, graphError('Invalid OAuth access token.', 190));
      const problem = validateWhatsAppBody(body);
      if (problem) return send(res, 400, graphError(`(#100) ${problem}`, 100));
      await delayIfScheduled('message');
      if (failIfScheduled(res)) return;
      const id = `wamid.${randomBytes(12).toString('base64url')}`;
      sent.push({ id, product: 'whatsapp', from: node, body });
      return send(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id }] });
    }
    if (!edge && req.method === 'GET') {
      const number = numbers.get(node);
      if (number) {
        if (number.accessToken !== auth) return send(res, 401, graphError('Invalid OAuth access token.', 190));
        return send(res, 200, { id: node, display_phone_number: number.displayPhoneNumber, verified_name: number.verifiedName });
      }
      const file = media.get(node);
      if (file) {
        if (!mayReadMedia(node, auth)) return send(res, 401, graphError('Invalid OAuth access token.', 190));
        return send(res, 200, { messaging_product: 'whatsapp', url: `${url}/media-download/${node}`, mime_type: file.mimeType, sha256: 'x', file_size: file.data.length, id: node });
      }
    }
    return send(res, 400, graphError(`Unsupported ${req.method} request. Object with ID '${node}' does not exist`, 100));
  }

  async function handleMessenger(req: IncomingMessage, res: ServerResponse, edge: string | undefined, auth: string, body: any) {
    const page = pages.get(auth);
    if (!page) return send(res, 401, graphError('Invalid OAuth access token.', 190));
    if (!edge && req.method === 'GET') return send(res, 200, { id: page.pageId, name: page.name });
    if (edge !== 'messages' || req.method !== 'POST') return send(res, 400, graphError('Unsupported request', 100));
    const problem = validateMessengerBody(body);
    if (problem) return send(res, 400, graphError(`(#100) ${problem}`, 100));
    if (body.sender_action) {
      await delayIfScheduled(body.sender_action);
      senderActions.push({ psid: body.recipient.id, action: body.sender_action });
      return send(res, 200, { recipient_id: body.recipient.id });
    }
    await delayIfScheduled('message');
    if (failIfScheduled(res)) return;
    const id = `m_${randomBytes(12).toString('base64url')}`;
    sent.push({ id, product: 'messenger', from: page.pageId, body });
    return send(res, 200, { recipient_id: body.recipient.id, message_id: id });
  }

  function serveFile(res: ServerResponse, id: string) {
    const file = media.get(id);
    if (!file) return send(res, 404, graphError('media not found', 100));
    res.writeHead(200, { 'content-type': file.mimeType, ...(file.chunked ? {} : { 'content-length': String(file.data.length) }) });
    if (!file.chunked) return res.end(file.data);
    // 64 KB at a time, until done or the client hangs up.
    let at = 0;
    const next = () => {
      while (at < file.data.length && !res.destroyed) {
        const more = res.write(file.data.subarray(at, (at += 64 * 1024)));
        if (!more) return void res.once('drain', next);
      }
      res.end();
    };
    res.on('close', () => (at = file.data.length));
    next();
  }

  /** WhatsApp media: its number's token, or any number's when it has no owner (never a page's). */
  const mayReadMedia = (id: string, t: string) => {
    const owner = media.get(id)?.owner;
    return owner ? numbers.get(owner)?.accessToken === t : [...numbers.values()].some((n) => n.accessToken === t);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, graphError(String(err), 1)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    sent,
    senderActions,
    addWhatsAppNumber: (n) => numbers.set(n.phoneNumberId, { accessToken: n.accessToken, displayPhoneNumber: n.displayPhoneNumber ?? '+1 555 0100', verifiedName: n.verifiedName ?? 'Harbor Dental' }),
    addPage: (p) => pages.set(p.accessToken, { pageId: p.pageId, name: p.name ?? 'Harbor Dental' }),
    addMedia(mediaId, data, mimeType, opts = {}) {
      media.set(mediaId, { data, mimeType, chunked: opts.chunked, owner: opts.owner });
      return `${url}/cdn/${mediaId}`;
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    slowNext(count, ms, kind = 'message') {
      for (let i = 0; i < count; i++) delays.push({ kind, ms });
    },
    async post(target, appSecret, body, opts = {}) {
      const raw = metaJson(body);
      const signature = opts.signature === undefined ? `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}` : opts.signature;
      const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body: raw });
      const text = await res.text();
      let parsedBody: any = text;
      try {
        parsedBody = JSON.parse(text);
      } catch {
        // handshakes and acks may be plain text
      }
      return { status: res.status, body: parsedBody };
    },
    addBusinessAccount: templateStore.addBusinessAccount,
    templatesOf: templateStore.templatesOf,
    reviewTemplate: templateStore.review,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
