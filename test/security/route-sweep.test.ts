/**
 * Every route the API registers, walked from its route table against the sweep's table
 * (route-sweep-cases.ts): anonymous callers get 401; each role gets exactly what
 * api/plugins/roles.ts grants (403 otherwise); tenant A's key on tenant B's real objects gets 404,
 * while B's own key on the very same call does not (so the 404 is the tenant check, not a missing
 * id). A registered route without an entry, or an entry without a route, fails the sweep. Last,
 * B's ids in the body of A's own objects (a channel's flow, a draft's knowledge base) are refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { allowedRoles } from '../../api/plugins/roles';
import { signedIn, type ConsoleClient, type Role } from '../console-api/support';
import { askingAutomation, receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { ChatClient } from '../support/ws';
import { schedulingObjects } from '../scheduling/fixtures';
import { campaignObjects } from '../campaigns-api/fixtures';
import { contentObjects } from '../content/fixtures';
import { intentObjects } from '../intents/fixtures';
import { menuObjects } from '../menu/fixtures';
import { renderObjects } from '../renders/fixtures';
import { presenceObjects } from '../presence/objects';
import { presenceSurfaceObjects } from '../presence-surface/objects';
import { voiceObjects } from '../voice-call/fixtures';
import { assistantObjects } from '../assistant/objects';
import { caseFor, ROLE_SETS, ROUTE_CASES, type Call, type Ids, type RouteCase } from './route-sweep-cases';
import { answer, concretePath, tenantFixture, type Fixture } from './support';

const ROLES: readonly Role[] = ['admin', 'builder', 'agent', 'viewer', 'marketer', 'approver'];
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

interface Route {
  method: string;
  url: string;
  entry: RouteCase;
}

let stack: Stack;
let routes: Route[] = [];
let a: { apiKey: string; ids: Fixture['ids'] };
let b: { apiKey: string; ids: Ids };
const clients = {} as Record<Role, ConsoleClient>;

beforeAll(async () => {
  // A worker answers the owner's turns and runs the automation to its ask node.
  stack = await startStack(sharedServers());
  const [fixtureA, fixtureB] = await Promise.all([tenantFixture(stack), tenantFixture(stack)]);
  a = fixtureA;
  const flow = await stack.request('POST', '/v1/flows', { apiKey: fixtureB.apiKey, body: { name: 'Approval', graph: askingAutomation } });
  expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey: fixtureB.apiKey })).status).toBe(201);
  const run = await stack.request('POST', `/v1/flows/${flow.body.id}/runs`, { apiKey: fixtureB.apiKey, body: { input: { item: 'desk' } } });
  expect(run.status).toBe(202);
  const imported = await stack.request('POST', `/v1/knowledge-bases/${fixtureB.ids.knowledgeBase}/documents:bulk`, { apiKey: fixtureB.apiKey, body: { documents: [{ name: 'Imported', text: 'Imported note.' }] } });
  expect(imported.status).toBe(202);
  const scheduling = await schedulingObjects(stack, fixtureB);
  const campaigns = await campaignObjects(stack, fixtureB);
  const content = await contentObjects(stack, fixtureB);
  const intents = await intentObjects(stack, fixtureB);
  const videos = await renderObjects(stack, fixtureB);
  const menu = await menuObjects(stack, fixtureB);
  const presence = await presenceObjects(stack, fixtureB);
  const presenceSurface = await presenceSurfaceObjects(stack, fixtureB, presence.presenceAudit);
  const calls = await voiceObjects(stack, fixtureB);
  const assistant = await assistantObjects(stack, fixtureB);
  // One line per module's objects: a new module appends its own.
  b = {
    apiKey: fixtureB.apiKey,
    ids: {
      ...fixtureB.ids,
      run: run.body.workflowId,
      automation: flow.body.id,
      import: imported.body.id,
      ...scheduling,
      ...campaigns,
      ...content,
      ...intents,
      ...videos,
      ...menu,
      ...presence,
      ...presenceSurface,
      ...calls,
      ...assistant,
    },
  };
  for (const role of ROLES) clients[role] = await signedIn(stack, a.apiKey, role);
  // A route without an entry fails the first test and is left out of the others.
  routes = stack.app.routeAccess.flatMap((r) => {
    const entry = caseFor(r.method, r.url);
    return entry ? [{ method: r.method, url: r.url, entry }] : [];
  });
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const guarded = () => routes.filter((r) => !r.entry.public);
/** A concrete path for a pattern, with ids no tenant has (role and anonymous checks stop before any lookup). */
const placeholder = (url: string) => concretePath(url, () => randomUUID());
const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
  body: body !== undefined ? JSON.stringify(body) : undefined,
});
const asKey = (apiKey: string, method: string, call: Call) => answer(stack.url + call.path, jsonInit(method, call.body ?? (WRITES.has(method) ? {} : undefined), { authorization: `Bearer ${apiKey}` }));
const show = (method: string, path: string, res: { status: number; text?: string }) => `${method} ${path} → ${res.status} ${(res.text ?? '').slice(0, 120)}`;

/** Opens a socket; resolves with its first frame's type, or the HTTP status it was refused with. */
function openSocket(path: string, headers: Record<string, string>): Promise<string | number> {
  return ChatClient.openWith(new WebSocket(stack.url.replace(/^http/, 'ws') + path, { headers })).then(
    async (client) => {
      const first = await client.waitFor(() => true, 10_000).catch(() => ({ type: 'nothing' }));
      client.close();
      return first.type;
    },
    (err: Error) => Number(/HTTP (\d+)/.exec(err.message)?.[1] ?? 0),
  );
}

describe('the route table', () => {
  it('has an entry for every registered route and a route for every entry', () => {
    const all = stack.app.routeAccess;
    expect(all.length).toBeGreaterThan(100);
    const missing = all.filter((r) => !caseFor(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(missing, 'routes without an entry in route-sweep-cases.ts').toEqual([]);
    const registered = new Set(all.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(ROUTE_CASES).filter((k) => !registered.has(k)), 'entries without a route').toEqual([]);
  });

  it('marks public exactly the routes the table gives a reason for, and guards every other one', () => {
    const wrong = stack.app.routeAccess.filter((r) => r.public !== Boolean(caseFor(r.method, r.url)?.public)).map((r) => `${r.method} ${r.url} public=${r.public}`);
    expect(wrong).toEqual([]);
    const incomplete = guarded().filter((r) => !r.entry.roles || !r.entry.tenant).map((r) => `${r.method} ${r.url}`);
    expect(incomplete, 'guarded routes need roles and a tenant case').toEqual([]);
  });

  it('states the roles api/plugins/roles.ts grants', () => {
    const differ = guarded()
      .filter((r) => [...allowedRoles(r.method, r.url)].sort().join() !== [...ROLE_SETS[r.entry.roles!]].sort().join())
      .map((r) => `${r.method} ${r.url}: table ${r.entry.roles}, roles.ts ${allowedRoles(r.method, r.url).join('/')}`);
    expect(differ).toEqual([]);
  });
});

describe('anonymous callers', () => {
  it('get 401 on every guarded route, sockets included', async () => {
    const leaks: string[] = [];
    for (const r of guarded()) {
      const path = placeholder(r.url);
      if (r.entry.socket) {
        const status = await openSocket(path, {});
        if (status !== 401) leaks.push(`${r.method} ${path} (socket) → ${status}`);
        continue;
      }
      const res = await answer(stack.url + path, jsonInit(r.method, WRITES.has(r.method) ? {} : undefined));
      if (res.status !== 401 || (r.method !== 'HEAD' && res.body?.error?.code !== 'unauthorized')) leaks.push(show(r.method, path, res));
    }
    expect(leaks).toEqual([]);
  }, 120_000);
});

describe('roles', () => {
  it.each(ROLES)('%s gets exactly what the role table grants, on every guarded route', async (role) => {
    const wrong: string[] = [];
    for (const r of guarded()) {
      const allowed = ROLE_SETS[r.entry.roles!].includes(role);
      const path = placeholder(r.url);
      if (r.entry.socket) {
        if (r.method === 'HEAD') continue;
        const got = await openSocket(path, { cookie: clients[role].cookie! });
        if (allowed ? got !== 'ready' : got !== 403) wrong.push(`${r.method} ${path} (socket) → ${got}`);
        continue;
      }
      const client = r.entry.signsOut ? await signedIn(stack, a.apiKey, role) : clients[role];
      const res = await client.request(r.method, path, WRITES.has(r.method) ? { body: {} } : {});
      const refused = res.status === 403 && (r.method === 'HEAD' || res.body?.error?.field === 'role');
      const ok = allowed ? res.status !== 401 && res.status !== 403 && res.status < 500 : refused;
      if (!ok) wrong.push(`${r.method} ${path} (${allowed ? 'allowed' : 'refused'}) → ${res.status} ${JSON.stringify(res.body)?.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  }, 180_000);
});

describe('another tenant’s objects', () => {
  const calls = () =>
    guarded()
      .filter((r) => typeof r.entry.tenant === 'function')
      .flatMap((r) => (r.entry.tenant as (ids: Ids) => Call[])(b.ids).map((call) => ({ ...r, call })));
  const lists = () => guarded().filter((r) => r.entry.tenant === 'list' && r.method === 'GET');
  const bIds = () => Object.values(b.ids);

  it('are out of reach: 404 on every route naming one, and in no list', async () => {
    const leaks: string[] = [];
    for (const { method, call } of calls()) {
      const res = await asKey(a.apiKey, method, call);
      if (res.status !== 404) leaks.push(`${show(method, call.path, res)} ${JSON.stringify(call.body ?? '')}`);
    }
    for (const r of lists()) {
      const res = await asKey(a.apiKey, 'GET', { path: r.url });
      const named = bIds().filter((id) => res.text.includes(id));
      if (res.status !== 200 || named.length) leaks.push(`GET ${r.url} → ${res.status}, names ${named.join(', ')}`);
    }
    expect(leaks).toEqual([]);
  }, 180_000);

  it('are within their owner’s reach on the same calls (so the 404s above were the tenant check)', async () => {
    const misses: string[] = [];
    const owner = async (list: ReturnType<typeof calls>) => {
      for (const { method, call } of list) {
        const res = await asKey(b.apiKey, method, call);
        if (res.status === 404 || res.status >= 500 || res.status === 401 || res.status === 403) misses.push(show(method, call.path, res));
      }
    };
    await owner(calls().filter((c) => !c.entry.destroys));
    const ownIds = new RegExp(bIds().join('|'));
    for (const r of lists()) {
      // Runs come from Temporal's visibility, which lags a little.
      const names = async () => ownIds.test((await asKey(b.apiKey, 'GET', { path: r.url })).text);
      await waitUntil(names, 15_000, `GET ${r.url} naming an id of its owner`).catch((err: Error) => misses.push(err.message));
    }
    // Last, in table order: a document goes before its knowledge base.
    const order = Object.keys(ROUTE_CASES);
    const rank = (c: { method: string; url: string }) => order.indexOf(`${c.method} ${c.url}`);
    await owner(calls().filter((c) => c.entry.destroys).sort((x, y) => rank(x) - rank(y)));
    expect(misses).toEqual([]);
  }, 180_000);
});

describe('another tenant’s ids in the body of one’s own objects', () => {
  /** A draft whose AI reply is grounded in the given knowledge base. */
  const grounded = (knowledgeBaseId: string) => ({
    ...receptionFlow,
    nodes: receptionFlow.nodes.map((n) => (n.type === 'llmReply' ? { ...n, data: { ...n.data, knowledgeBaseIds: [knowledgeBaseId] } } : n)),
  });

  it('are refused, while the same call naming one’s own object goes through', async () => {
    const wrong: string[] = [];
    const expectStatus = async (method: string, call: Call, ok: (status: number) => boolean) => {
      const res = await asKey(a.apiKey, method, call);
      if (!ok(res.status)) wrong.push(`${show(method, call.path, res)} ${JSON.stringify(call.body).slice(0, 80)}`);
    };
    const refused = (status: number) => status === 404 || status === 422 || status === 400;
    const accepted = (status: number) => status < 300;
    for (const [ids, ok] of [
      [b.ids, refused],
      [a.ids, accepted],
    ] as const) {
      await expectStatus('PATCH', { path: `/v1/channels/${a.ids.channel}`, body: { flowId: ids.flow } }, ok);
      await expectStatus('POST', { path: `/v1/flows/${a.ids.flow}/test-sessions`, body: { graph: grounded(ids.knowledgeBase) } }, ok);
      await expectStatus('PUT', { path: `/v1/flows/${a.ids.flow}`, body: { graph: grounded(ids.knowledgeBase) } }, accepted);
      await expectStatus('POST', { path: `/v1/flows/${a.ids.flow}/publish`, body: {} }, ok);
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
