/**
 * Malformed bodies against every POST, PUT and PATCH route the API documents, with a valid admin
 * credential and real ids of the tenant: each answer is a client error (never a 5xx) in the error
 * shape, and the process stays healthy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tenant } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { schedulingObjects } from '../scheduling/fixtures';
import { campaignObjects } from '../campaigns-api/fixtures';
import { contentObjects } from '../content/fixtures';
import { intentObjects } from '../intents/fixtures';
import { presenceObjects } from '../presence/objects';
import { voiceObjects } from '../voice-call/fixtures';
import { renderObjects } from '../renders/fixtures';
import { menuObjects } from '../menu/fixtures';
import { answer, fault, tenantFixture, type Fixture } from './support';

let stack: Stack;
let t: Fixture;
let scheduling: Awaited<ReturnType<typeof schedulingObjects>>;
let marketing: Awaited<ReturnType<typeof campaignObjects>> & Awaited<ReturnType<typeof contentObjects>>;
let intents: Awaited<ReturnType<typeof intentObjects>>;
let videos: Awaited<ReturnType<typeof renderObjects>>;
let menu: Awaited<ReturnType<typeof menuObjects>>;
let presence: Awaited<ReturnType<typeof presenceObjects>>;
let voice: Awaited<ReturnType<typeof voiceObjects>>;
/** The fixture tenant's slug: the public booking routes name the tenant by it. */
let slug: string;
const routes: { method: string; path: string }[] = [];

interface Case {
  name: string;
  contentType?: string;
  body: string | Buffer<ArrayBuffer>;
  /** The parser itself must refuse it, whatever the route; other cases are well-formed JSON a route without required fields may accept. */
  unparseable?: boolean;
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const wrongTypes = { name: 42, text: ['x'], flowId: { a: 1 }, graph: 'nodes', email: false, role: 7, password: null, shortcut: {}, url: 12, query: [], type: 1, settings: 'x', credentials: [], typing: 'yes', id: -1 };
const json = 'application/json';

const CASES: Case[] = [
  { name: 'empty json', contentType: json, body: '', unparseable: true },
  { name: 'truncated', contentType: json, body: '{"name": "a', unparseable: true },
  { name: 'single quotes', contentType: json, body: "{'name': 'a'}", unparseable: true },
  { name: 'trailing garbage', contentType: json, body: '{"name":"a"} x', unparseable: true },
  { name: 'deep arrays', contentType: json, body: deep(10_000), unparseable: true },
  { name: 'deep objects', contentType: json, body: '{"a":'.repeat(2_000) + '0' + '}'.repeat(2_000), unparseable: true },
  { name: 'deep inside a valid field', contentType: json, body: `{"name":"x","graph":${deep(500)}}`, unparseable: true },
  { name: 'proto poisoning', contentType: json, body: '{"__proto__":{"isAdmin":true}}', unparseable: true },
  { name: 'constructor poisoning', contentType: json, body: '{"constructor":{"prototype":{"isAdmin":true}}}', unparseable: true },
  { name: 'huge', contentType: json, body: JSON.stringify({ name: 'x'.repeat(30 * 1024 * 1024) }), unparseable: true },
  { name: 'xml', contentType: 'application/xml', body: '<a/>', unparseable: true },
  { name: 'unknown type', contentType: 'application/x-fuzz', body: 'abc', unparseable: true },
  { name: 'null', contentType: json, body: 'null' },
  { name: 'number', contentType: json, body: '123' },
  { name: 'string', contentType: json, body: '"text"' },
  { name: 'array', contentType: json, body: '[1,2,3]' },
  { name: 'wrong field types', contentType: json, body: JSON.stringify(wrongTypes) },
  { name: 'long strings', contentType: json, body: JSON.stringify(Object.fromEntries(Object.keys(wrongTypes).map((k) => [k, 'y'.repeat(100_000)]))) },
  { name: 'huge number', contentType: json, body: '{"limit":1e999999,"version":-1e308,"chunkSize":1.5}' },
  { name: 'many keys', contentType: json, body: JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))) },
  { name: 'wide array', contentType: json, body: JSON.stringify({ nodes: Array.from({ length: 50_000 }, () => 0), edges: 1 }) },
  { name: 'invalid utf-8', contentType: json, body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from('","text":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]) },
  { name: 'text/plain', contentType: 'text/plain', body: 'hello' },
  { name: 'form', contentType: 'application/x-www-form-urlencoded', body: 'name=a&text=b' },
  { name: 'multipart without boundary', contentType: 'multipart/form-data', body: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc' },
  { name: 'multipart truncated', contentType: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nabc' },
  { name: 'no content type', body: '{"name":"a"}' },
];

/** NUL and lone surrogates in otherwise well-typed strings: refused or stripped, never a database error. */
const TEXT_CASES: Case[] = [
  { name: 'NUL', contentType: json, body: JSON.stringify({ name: 'a\u0000b', text: 'a\u0000b', shortcut: 'nul', email: 'a\u0000@example.com', query: 'a\u0000', title: '\u0000' }) },
  { name: 'lone surrogate', contentType: json, body: '{"name":"a\\ud800b","text":"\\udfff","shortcut":"sur","query":"\\ud800"}' },
];

beforeAll(async () => {
  // With a worker: a body that happens to be a valid message runs a real turn instead of waiting.
  stack = await startStack(sharedServers());
  t = await tenantFixture(stack);
  scheduling = await schedulingObjects(stack, t);
  marketing = { ...(await campaignObjects(stack, t)), ...(await contentObjects(stack, t)) };
  intents = await intentObjects(stack, t);
  videos = await renderObjects(stack, t);
  menu = await menuObjects(stack, t);
  presence = await presenceObjects(stack, t);
  voice = await voiceObjects(stack, t);
  // The public booking page answers only when on: bodies sent to it must reach its validation.
  await stack.request('PUT', '/v1/settings/booking-page', { apiKey: t.apiKey, body: { enabled: true } });
  slug = (await systemEm(stack.orm).findOneOrFail(Tenant, { id: t.tenantId })).slug;
  const spec = (await (await fetch(`${stack.url}/docs/json`, { headers: { authorization: `Bearer ${t.apiKey}` } })).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const method of Object.keys(methods)) {
      if (['post', 'put', 'patch'].includes(method)) routes.push({ method: method.toUpperCase(), path });
    }
  }
});
afterAll(async () => {
  await stack?.close();
});

/** The OpenAPI path with each parameter replaced by a real id of the tenant. */
function fill(path: string): string {
  const byCollection: Record<string, string> = {
    flows: t.ids.flow,
    conversations: t.ids.conversation,
    'knowledge-bases': t.ids.knowledgeBase,
    documents: t.ids.document,
    channels: t.ids.channel,
    'canned-responses': t.ids.canned,
    users: t.ids.user,
    'api-keys': t.ids.apiKey,
    widget: t.ids.channel,
    subscriptions: t.ids.webhook,
    deliveries: t.ids.delivery,
    locations: scheduling.location,
    staff: scheduling.staff,
    resources: scheduling.resource,
    services: scheduling.service,
    'availability-exceptions': scheduling.exception,
    appointments: scheduling.appointment,
    contacts: t.ids.contact,
    segments: t.ids.segment,
    campaigns: marketing.campaign,
    'brand-voices': marketing.brandVoice,
    rules: t.ids.alertRule,
    tenants: t.tenantId,
    intents: intents.intent,
    voices: videos.voice,
    avatars: videos.avatar,
    videos: videos.video,
    items: menu.menuItem,
    promotions: menu.promotion,
    audits: presence.presenceAudit,
    calls: voice.call,
  };
  return path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    if (name === 'version') return '1';
    if (name === 'type') return 'webchat';
    if (name === 'runId' || name === 'workflowId') return encodeURIComponent(t.ids.workflow);
    if (name === 'channelId') return t.ids.channel;
    if (name === 'channel') return 'sms';
    // A voice channel's callback kind (api/routes/voice-webhooks.ts).
    if (name === 'kind') return 'gather';
    if (name === 'token') return 'not-a-signed-token';
    if (name === 'tenantSlug') return slug;
    const collection = path.slice(0, offset).split('/').filter(Boolean).pop()!;
    if (!byCollection[collection]) throw new Error(`no id for ${name} in ${path}`);
    return byCollection[collection];
  });
}

function send(route: { method: string; path: string }, c: Case) {
  const token = route.path.startsWith('/v1/widget/uploads') ? t.visitorToken : t.apiKey;
  return answer(stack.url + fill(route.path), {
    method: route.method,
    body: c.body,
    headers: { authorization: `Bearer ${token}`, ...(c.contentType !== undefined ? { 'content-type': c.contentType } : {}) },
  });
}

/** Every case against every route; returns what broke the rules, one line each. */
async function sweep(cases: Case[]) {
  const broken: string[] = [];
  for (const route of routes) {
    for (const c of cases) {
      const res = await send(route, c);
      const where = `${route.method} ${route.path} [${c.name}] → ${res.status} ${res.text.slice(0, 160)}`;
      const problem = fault(res) ?? (res.status < 400 && c.unparseable ? 'accepted' : null);
      if (problem) broken.push(`${where} (${problem})`);
    }
  }
  return broken;
}

describe('malformed bodies on every POST, PUT and PATCH route', () => {
  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((r) => r.path)).toEqual(expect.arrayContaining(['/v1/flows', '/v1/conversations/{id}/messages', '/v1/widget/uploads', '/v1/webhooks/{type}/{channelId}']));
  });

  it('answers each with a client error in the error shape', async () => {
    const before = process.memoryUsage().rss;
    const broken = await sweep(CASES);
    expect(broken).toEqual([]);
    // The API runs in this process: it answered ~1,000 hostile requests and is still well.
    const health = await fetch(`${stack.url}/health`);
    expect(health.status).toBe(200);
    expect(process.memoryUsage().rss - before).toBeLessThan(768 * 1024 * 1024);
  }, 300_000);

  it('refuses or cleans NUL and lone surrogates in text, never failing in the database', async () => {
    expect(await sweep(TEXT_CASES)).toEqual([]);
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
  }, 120_000);
});
