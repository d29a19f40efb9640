/**
 * A local Twilio for tests: the Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json with
 * form fields and basic auth, answering Twilio's Message resource JSON or its error body
 * `{code, message, more_info, status}`; GET lists messages filtered by To / From, newest first),
 * the Account resource, media downloads, and a client that posts inbound messages and status
 * callbacks signed exactly as Twilio signs them. Like Twilio, it has no idempotency key: every
 * accepted POST creates a message, and `loseNextResponses` creates one but drops the connection
 * before answering, as a network failure after Twilio accepted would.
 *
 *   const twilio = await startFakeTwilio({ accounts: { [sid]: token } });
 *   twilio.failNext({ status: 429, code: 20429, retryAfterSeconds: 1 }, { status: 429, code: 20429 });
 *   await twilio.sendInbound(webhookUrl, token, { From: '+15551230000', Body: 'hi' });
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseForm, twilioSignature, type FormParams } from '../../channels/twilio/signature';
import { requestBody } from './request-body';

export interface FakeTwilioFailure {
  status: number;
  code?: number;
  message?: string;
  retryAfterSeconds?: number;
}

export interface FakeTwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
  createdAt: Date;
}

export interface FakeTwilioRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  form: FormParams;
}

export interface WebhookResponse {
  status: number;
  contentType: string | null;
  body: string;
}

export interface FakeTwilio {
  url: string;
  /** Every request, in order, including refused ones. */
  requests: FakeTwilioRequest[];
  /** Messages created, one per accepted POST. */
  messages: FakeTwilioMessage[];
  /** The next Messages API calls fail like this, in order. */
  failNext(...failures: FakeTwilioFailure[]): void;
  /** The next `count` accepted messages are created, then the connection is dropped unanswered. */
  loseNextResponses(count: number): void;
  /** Serves bytes at a Twilio-style media URL and returns the URL. */
  addMedia(accountSid: string, data: Buffer, contentType: string): string;
  /** Posts an inbound SMS to `webhookUrl`, signed with `authToken`; fills in Twilio's usual fields. */
  sendInbound(webhookUrl: string, authToken: string, fields: Record<string, string>, opts?: { signature?: string }): Promise<WebhookResponse>;
  /** Posts a status callback for a message this fake created, to its StatusCallback URL. */
  sendStatus(sid: string, status: string, opts?: { errorCode?: string }): Promise<WebhookResponse>;
  close(): Promise<void>;
}

const newSid = (prefix: string) => prefix + randomBytes(16).toString('hex');
const E164 = /^\+[1-9]\d{6,14}$/;

export async function startFakeTwilio(opts: { accounts: Record<string, string> }): Promise<FakeTwilio> {
  const requests: FakeTwilioRequest[] = [];
  const messages: FakeTwilioMessage[] = [];
  const failures: FakeTwilioFailure[] = [];
  let responsesToLose = 0;
  const media = new Map<string, { data: Buffer; contentType: string }>();
  let baseUrl = '';

  const server = createServer(async (req, res) => {
    const raw = await requestBody(req);
    const [path, search = ''] = (req.url ?? '/').split('?');
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = isForm ? parseForm(raw) : {};
    requests.push({ method: req.method ?? 'GET', path, headers: flatHeaders(req), form });

    const account = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})(\.json|\/.*)$/i.exec(path);
    if (!account) return error(res, 404, 20404, 'The requested resource was not found');
    const accountSid = account[1];
    if (!authorized(req, accountSid, opts.accounts)) return error(res, 401, 20003, 'Authenticate');

    if (req.method === 'GET' && account[2] === '.json') return json(res, 200, accountResource(accountSid));
    if (req.method === 'GET' && media.has(path)) {
      const m = media.get(path)!;
      return res.writeHead(200, { 'content-type': m.contentType }).end(m.data);
    }
    if (account[2] !== '/Messages.json') return error(res, 404, 20404, 'The requested resource was not found');
    if (req.method === 'GET') return json(res, 200, messageList(accountSid, new URLSearchParams(search)));
    if (req.method !== 'POST') return error(res, 405, 20004, 'Method not allowed');
    if (!isForm) return error(res, 400, 20001, 'Content-Type must be application/x-www-form-urlencoded');

    const failure = failures.shift();
    if (failure) {
      if (failure.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(failure.retryAfterSeconds));
      return error(res, failure.status, failure.code ?? failure.status, failure.message ?? 'Too Many Requests');
    }
    const v = (name: string) => (Array.isArray(form[name]) ? form[name][0] : (form[name] as string | undefined));
    const to = v('To');
    if (!to) return error(res, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return error(res, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!v('From') && !v('MessagingServiceSid')) return error(res, 400, 21603, "A 'From' phone number is required.");
    const mediaUrls = form.MediaUrl === undefined ? [] : ([] as string[]).concat(form.MediaUrl);
    if (!v('Body') && mediaUrls.length === 0) return error(res, 400, 21602, 'Message body is required.');
    if ((v('Body') ?? '').length > 1600) return error(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');

    const message: FakeTwilioMessage = {
      sid: newSid('SM'),
      accountSid,
      to,
      from: v('From') ?? null,
      messagingServiceSid: v('MessagingServiceSid') ?? null,
      body: v('Body') ?? '',
      mediaUrls,
      statusCallback: v('StatusCallback') ?? null,
      createdAt: new Date(),
    };
    messages.push(message);
    if (responsesToLose > 0) {
      responsesToLose--;
      return res.destroy();
    }
    json(res, 201, messageResource(message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    requests,
    messages,
    failNext: (...f) => void failures.push(...f),
    loseNextResponses(count) {
      responsesToLose += count;
    },
    addMedia(accountSid, data, contentType) {
      const path = `/2010-04-01/Accounts/${accountSid}/Messages/${newSid('MM')}/Media/${newSid('ME')}`;
      media.set(path, { data, contentType });
      return baseUrl + path;
    },
    sendInbound(webhookUrl, authToken, fields, sendOpts = {}) {
      const accountSid = Object.keys(opts.accounts).find((sid) => opts.accounts[sid] === authToken) ?? newSid('AC');
      const sid = fields.MessageSid ?? newSid('SM');
      const params: Record<string, string> = {
        ToCountry: 'US',
        SmsMessageSid: sid,
        NumMedia: '0',
        SmsSid: sid,
        SmsStatus: 'received',
        Body: '',
        NumSegments: '1',
        MessageSid: sid,
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        ...fields,
      };
      return postSigned(webhookUrl, authToken, params, sendOpts.signature);
    },
    sendStatus(sid, status, statusOpts = {}) {
      const message = messages.find((m) => m.sid === sid);
      if (!message?.statusCallback) throw new Error(`message ${sid} has no StatusCallback`);
      const params: Record<string, string> = {
        SmsSid: sid,
        SmsStatus: status,
        MessageStatus: status,
        To: message.to,
        MessageSid: sid,
        AccountSid: message.accountSid,
        From: message.from ?? '+15550000000',
        ApiVersion: '2010-04-01',
        ...(statusOpts.errorCode ? { ErrorCode: statusOpts.errorCode } : {}),
      };
      return postSigned(message.statusCallback, opts.accounts[message.accountSid], params);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  /** Twilio's list: To / From filters, newest first, one page of PageSize (default 50). */
  function messageList(accountSid: string, query: URLSearchParams) {
    const pageSize = Math.min(1000, Number(query.get('PageSize') ?? 50));
    const found = messages
      .filter((m) => m.accountSid === accountSid && (!query.has('To') || m.to === query.get('To')) && (!query.has('From') || m.from === query.get('From')))
      .reverse()
      .slice(0, pageSize);
    return { messages: found.map(messageResource), page: 0, page_size: pageSize, next_page_uri: null, uri: `/2010-04-01/Accounts/${accountSid}/Messages.json` };
  }

  function messageResource(m: FakeTwilioMessage) {
    const now = m.createdAt.toUTCString().replace('GMT', '+0000');
    return {
      account_sid: m.accountSid,
      api_version: '2010-04-01',
      body: m.body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: String(m.mediaUrls.length),
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.messagingServiceSid ? 'accepted' : 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
    };
  }
}

/** Signs like Twilio: the URL as called plus the sorted form fields (see the adapter's signature.ts). */
async function postSigned(url: string, authToken: string, params: Record<string, string>, signature?: string): Promise<WebhookResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? twilioSignature(authToken, url, params),
      'user-agent': 'TwilioProxy/1.1',
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
}

function accountResource(sid: string) {
  return { sid, friendly_name: 'Test account', status: 'active', type: 'Full', owner_account_sid: sid, uri: `/2010-04-01/Accounts/${sid}.json` };
}

function authorized(req: IncomingMessage, accountSid: string, accounts: Record<string, string>): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const [user, pass] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return user === accountSid && accounts[accountSid] !== undefined && accounts[accountSid] === pass;
}

function error(res: ServerResponse, status: number, code: number, message: string) {
  json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
