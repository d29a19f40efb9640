/**
 * Authentication is decided on the route the router matched, and denies by default: every route
 * the API registers is tried anonymously in the spellings a router or a proxy may read
 * differently (percent-encoded, double-encoded, trailing slash, upper case, `..` and `.`
 * segments), plus the WebSocket upgrade for socket routes. None may answer 2xx/3xx or 101; the
 * plain spelling must be a 401. Public routes are a short, explicit list.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { concretePath } from './support';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
});

afterAll(async () => {
  await stack?.close();
});

/** The patterns that may be called without credentials; anything added here is a decision. */
const PUBLIC = [
  '/',
  '/*',
  '/health',
  // Its own METRICS_TOKEN check (api/plugins/metrics.ts); 404 when no token is configured.
  '/metrics',
  '/chat',
  '/widget.js',
  '/v1/auth/login',
  '/v1/chat',
  '/v1/webhooks/:type/:channelId',
  '/v1/webhooks/email/:channelId',
  '/v1/widget/:channelId/config',
  '/v1/widget/:channelId/sessions',
  '/v1/widget/uploads',
  // Push-to-talk: the visitor's chat token is the credential, as for uploads.
  '/v1/widget/voice',
  '/v1/widget/files/:id/:name',
  '/v1/calendars/feeds/:token.ics',
  '/book/:tenantSlug',
  '/v1/public/booking/:tenantSlug',
  '/v1/public/booking/:tenantSlug/slots',
  '/v1/public/booking/:tenantSlug/appointments',
  '/v1/public/booking/:tenantSlug/appointments/:id/ics',
  // A campaign's tracked link and unsubscribe page: the signed per-recipient token is the credential.
  '/l/:token',
  '/u/:token',
  // Media store objects: the signed expiring URL is the credential (test/media/route.test.ts).
  '/media/*',
  // The platform operator's API: its own OPERATOR_TOKEN Bearer check (api/routes/operator.ts); 404 when none is configured.
  '/v1/operator/tenants/:tenantId/quotas',
  // D-ID's callback: the HMAC token in the URL is the credential (renders/webhook-token.ts).
  '/v1/webhooks/d-id/:token',
  // Twilio Voice: every request verified by X-Twilio-Signature (api/routes/voice-webhooks.ts); a warm
  // transfer's whisper by the HMAC token in its URL (api/routes/voice-whisper.ts).
  '/v1/webhooks/voice/:channelId',
  '/v1/webhooks/voice/:channelId/:kind',
  '/v1/webhooks/voice-whisper/:token',
  // A shared presence report: the HMAC-signed, revocable share token is the credential.
  '/presence/share/:token',
  '/presence/share/:token/pdf',
  // The public website grader: on only when the tenant's admin turned it on; timing token, honeypot and limits (api/services/grader-abuse.ts).
  '/grader/:tenantSlug',
  '/v1/public/grader/:tenantSlug/audits',
  '/v1/public/grader/:tenantSlug/leads/:id',
];
const isPublicPattern = (url: string) => PUBLIC.includes(url) || url === '/docs' || url.startsWith('/docs/');

const ID = '0b7e8c4e-6a55-4a8e-9a39-3c0e8f1d2a77';
const concrete = (pattern: string) => concretePath(pattern, () => ID);

const encodeLetters = (path: string) => path.replace(/[A-Za-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);

/** The spellings of one path that must all be refused. */
function spellings(path: string): Record<string, string> {
  const [, first, rest] = /^\/([^/]+)(.*)$/.exec(path)!;
  return {
    'as is': path,
    'the issue’s /%761': path.replace(/^\/v1/, '/%761'),
    'letters encoded': encodeLetters(path),
    'double-encoded': encodeLetters(path).replace(/%/g, '%25'),
    'trailing slash': `${path}/`,
    'upper case': path.toUpperCase(),
    'first segment upper case': `/${first.toUpperCase()}${rest}`,
    '.. segment': `/${first}/nothing/..${rest}`,
    'leading ..': `/x/../${first}${rest}`,
    '. segment': `/./${first}${rest}`,
    'encoded ..': `/x/%2e%2e/${first}${rest}`,
    'double slash': `//${first}${rest}`,
  };
}

/** One raw HTTP request: the path goes on the wire exactly as given (fetch would normalize it). */
function raw(method: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
    const req = httpRequest({ hostname, port, method, path, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A WebSocket upgrade on the raw path: the status it was refused with (once the server has also
 * closed the connection: a refused upgrade must not hold a socket), 101 if it opened, 0 if the
 * connection was left open after the refusal.
 */
function upgrade(path: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(stack.url.replace(/^http/, 'ws') + path);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      const timer = setTimeout(() => (res.socket.destroy(), resolve(0)), 1500);
      res.socket.once('close', () => (clearTimeout(timer), resolve(res.statusCode!)));
    });
    socket.once('error', () => resolve(-1));
  });
}

describe('authentication on the routed pattern', () => {
  it('lists public routes explicitly and protects every other one', () => {
    const routes = stack.app.routeAccess;
    expect(routes.length).toBeGreaterThan(80);
    const publicOnes = [...new Set(routes.filter((r) => r.public).map((r) => r.url))];
    expect(publicOnes.filter((url) => !isPublicPattern(url))).toEqual([]);
    expect(publicOnes).toEqual(expect.arrayContaining(PUBLIC));
    const protectedOnes = routes.filter((r) => !r.public).map((r) => r.url);
    expect(protectedOnes).toEqual(expect.arrayContaining(['/v1/flows', '/v1/runs', '/v1/inbox/live', '/v1/runs/:runId/signal', '/v1/users']));
    expect(protectedOnes.filter((url) => isPublicPattern(url))).toEqual([]);
  });

  it('refuses anonymous callers of every protected route in every spelling', async () => {
    const targets = stack.app.routeAccess.filter((r) => !r.public && !r.websocket);
    const leaks: string[] = [];
    for (const route of targets) {
      const path = concrete(route.url);
      for (const [form, spelled] of Object.entries(spellings(path))) {
        const res = await raw(route.method, spelled);
        const refused = form === 'as is' ? res.status === 401 : res.status >= 400 && res.status < 500;
        if (!refused) leaks.push(`${route.method} ${spelled} (${form}) → ${res.status} ${res.body.slice(0, 80)}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('refuses anonymous WebSocket upgrades of the socket routes in every spelling', async () => {
    const sockets = stack.app.routeAccess.filter((r) => !r.public && r.websocket);
    expect(sockets.map((r) => r.url)).toContain('/v1/inbox/live');
    const leaks: string[] = [];
    for (const route of sockets) {
      for (const [form, spelled] of Object.entries(spellings(concrete(route.url)))) {
        const status = await upgrade(spelled);
        if (status === 101 || status <= 0 || (form === 'as is' && status !== 401)) leaks.push(`${spelled} (${form}) → ${status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('still serves the public routes and lets a key through', async () => {
    const { apiKey } = await stack.createTenant();
    expect((await stack.request('GET', '/v1/flows', { apiKey })).status).toBe(200);
    expect((await raw('GET', '/health')).status).toBe(200);
    expect((await raw('GET', '/docs/json')).status).toBe(200);
    expect((await raw('GET', '/chat')).status).toBe(200);
    expect((await raw('GET', '/')).status).toBe(200);
    // The console's client routes still fall back to its page; API spellings do not.
    expect((await raw('GET', '/inbox')).status).toBe(200);
    expect((await raw('GET', '/V1/flows')).status).toBe(404);
  });
});
