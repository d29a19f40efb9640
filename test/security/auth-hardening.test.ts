/**
 * Hardening around credentials, against the real API, PostgreSQL and Redis: request budgets per
 * caller and per address of failed credentials, unknown keys cached, the trusted-proxy setting (client address for the
 * sign-in limit, `Secure` cookie behind TLS termination), the sessions' absolute lifetime, the
 * password rule and sign-in with one email in several workspaces. The stack trusts its proxy, so
 * each test speaks from its own made-up client address.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, Tenant } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

const PER_MINUTE = 40;
const FAILURES = 5;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    ...sharedServers(),
    worker: false,
    env: { TRUST_PROXY: 'true', API_RATE_LIMIT: String(PER_MINUTE), AUTH_FAILURE_LIMIT: String(FAILURES) },
  });
});

afterAll(async () => {
  await stack?.close();
});

/**
 * A client address no other test here uses: a limited address drawn again made a later test's
 * request a 429. The run’s own random /24 keeps runs within one limit window apart in the shared Redis.
 */
const runPrefix = `100.${64 + Math.floor(Math.random() * 64)}.${Math.floor(Math.random() * 256)}`;
let addressesUsed = 0;
const address = () => `${runPrefix}.${++addressesUsed}, 10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** A request from a client address of its own (X-Forwarded-For, believed because TRUST_PROXY=true). */
async function call(method: string, path: string, opts: { key?: string; from: string; body?: unknown; headers?: Record<string, string> }) {
  const res = await fetch(stack.url + path, {
    method,
    headers: {
      'x-forwarded-for': opts.from,
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

describe('request budgets', () => {
  it('limits each caller to API_RATE_LIMIT requests a minute', async () => {
    const { apiKey } = await stack.createTenant();
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < PER_MINUTE + 1; i++) statuses.push((await call('GET', '/v1/flows', { key: apiKey, from })).status);
    expect(statuses.slice(0, PER_MINUTE).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await call('GET', '/v1/flows', { key: apiKey, from: address() });
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another tenant's key has its own budget.
    expect((await call('GET', '/v1/flows', { key: (await stack.createTenant()).apiKey, from })).status).toBe(200);
  });

  it('refuses an address after AUTH_FAILURE_LIMIT failed credentials, before looking the next one up', async () => {
    const { apiKey } = await stack.createTenant();
    const from = address();
    expect((await call('GET', '/v1/flows', { key: apiKey, from })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES; i++) statuses.push((await call('GET', '/v1/flows', { key: `sb_live_guess${i}${randomBytes(8).toString('hex')}`, from })).status);
    expect(statuses).toEqual(Array(FAILURES).fill(401));
    const refused = await call('GET', '/v1/flows', { key: `sb_live_guess${randomBytes(8).toString('hex')}`, from });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', field: 'authorization' });
    // So is a dead session cookie from there; a key this instance already knows still works.
    expect((await call('GET', '/v1/flows', { from, headers: { cookie: 'sb_session=not-a-session' } })).status).toBe(429);
    expect((await call('GET', '/v1/flows', { key: apiKey, from })).status).toBe(200);
    // Another address is not affected.
    expect((await call('GET', '/v1/flows', { key: 'sb_live_wrong', from: address() })).status).toBe(401);
  });
});

/** A user of the role, created and signed in from one client address; its session cookie. */
async function signInAs(apiKey: string, role: string, from: string) {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  expect((await call('POST', '/v1/users', { key: apiKey, from, body: { email, name: role, role, password } })).status).toBe(201);
  const login = await call('POST', '/v1/auth/login', { from, body: { email, password } });
  expect(login.status).toBe(200);
  return { email, password, userId: login.body.user.id as string, cookie: login.headers.get('set-cookie')!.split(';')[0] };
}

describe('unknown API keys', () => {
  it('are looked up once, then answered from the cache', async () => {
    const logger = stack.orm.config.getLogger();
    const { log, isEnabled } = logger;
    const lookups: string[] = [];
    logger.isEnabled = (namespace, context) => namespace === 'query' || isEnabled.call(logger, namespace, context);
    logger.log = (namespace, message, context) => {
      if (namespace === 'query' && /api_keys/.test(String(message))) lookups.push(String(message));
      else if (namespace !== 'query') log.call(logger, namespace, message, context);
    };
    try {
      const from = address();
      const key = `sb_live_unknown${randomBytes(8).toString('hex')}`;
      for (let i = 0; i < FAILURES - 1; i++) expect((await call('GET', '/v1/flows', { key, from })).status).toBe(401);
      expect(lookups).toHaveLength(1);
    } finally {
      logger.isEnabled = isEnabled;
      logger.log = log;
    }
  });
});

describe('behind a trusted proxy', () => {
  it('limits sign-in by the client address the proxy names, and sets the Secure cookie for TLS clients', async () => {
    const { apiKey } = await stack.createTenant();
    const [a, b] = [address(), address()];
    const user = await signInAs(apiKey, 'viewer', b);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await call('POST', '/v1/auth/login', { from: a, body: { email: user.email, password: `wrong-${i}` } })).status);
    expect(statuses.at(-1)).toBe(401);
    expect((await call('POST', '/v1/auth/login', { from: a, body: { email: user.email, password: user.password } })).status).toBe(429);
    // Another client behind the same proxy signs in (over TLS at the balancer): Secure cookie.
    const ok = await call('POST', '/v1/auth/login', { from: b, body: { email: user.email, password: user.password }, headers: { 'x-forwarded-proto': 'https' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(ok.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});

describe('sessions', () => {
  it('end at their absolute lifetime even while in use', async () => {
    const { apiKey } = await stack.createTenant();
    const from = address();
    const user = await signInAs(apiKey, 'agent', from);
    const me = () => call('GET', '/v1/auth/me', { from, headers: { cookie: user.cookie } });
    expect((await me()).status).toBe(200);
    // Started 25 hours ago (SESSION_MAX_HOURS defaults to 24), and used a minute ago: still within the idle expiry.
    const em = systemEm(stack.orm);
    await em.nativeUpdate(Session, { user: user.userId }, { createdAt: new Date(Date.now() - 25 * 3600_000) }, { filters: false });
    expect((await me()).status).toBe(401);
    // A fresh sign-in works, and its cookie lives no longer than the session may.
    const again = await call('POST', '/v1/auth/login', { from, body: { email: user.email, password: user.password } });
    expect(again.status).toBe(200);
    const maxAge = Number(/Max-Age=(\d+)/.exec(again.headers.get('set-cookie')!)![1]);
    expect(maxAge).toBeLessThanOrEqual(12 * 3600);
  });
});

describe('the password rule', () => {
  it('refuses common passwords, runs, sequences and the email name, naming password', async () => {
    const { apiKey } = await stack.createTenant();
    const from = address();
    const create = (email: string, password: string) => call('POST', '/v1/users', { key: apiKey, from, body: { email, name: 'Pat', role: 'viewer', password } });
    for (const password of ['password123', 'Password!1', '1234567890', 'qwertyuiop', 'aaaaaaaaaaaa', 'abababababab', 'P@ssw0rd2024']) {
      const res = await create(`pat-${randomBytes(3).toString('hex')}@example.test`, password);
      expect(res.status, password).toBe(400);
      expect(res.body.error.field, password).toBe('password');
    }
    const named = await create('jordan.smith@example.test', 'Jordan.Smith-rocks');
    expect(named.status).toBe(400);
    expect(named.body.error).toMatchObject({ field: 'password', message: expect.stringMatching(/email/) });
    const created = await create('jordan.smith@example.test', 'violet-harbor-lamp-42');
    expect(created.status).toBe(201);
    const changed = await call('PATCH', `/v1/users/${created.body.id}`, { key: apiKey, from, body: { password: 'jordan.smith!!' } });
    expect(changed.status).toBe(400);
    expect(changed.body.error.field).toBe('password');
    expect((await call('PATCH', `/v1/users/${created.body.id}`, { key: apiKey, from, body: { password: 'quiet-river-stone-7' } })).status).toBe(200);
  });
});

describe('one email in several workspaces', () => {
  it('asks for the workspace instead of trying each account', async () => {
    const [one, two] = [await stack.createTenant(), await stack.createTenant()];
    const slugOf = async (id: string) => (await systemEm(stack.orm).findOneOrFail(Tenant, { id })).slug;
    const email = `sam-${randomBytes(4).toString('hex')}@example.test`;
    const from = address();
    for (const [t, password] of [[one, 'first-workspace-secret'], [two, 'second-workspace-secret']] as const) {
      expect((await call('POST', '/v1/users', { key: t.apiKey, from, body: { email, name: 'Sam', role: 'viewer', password } })).status).toBe(201);
    }
    // The second account's password without a workspace does not walk to it.
    const ambiguous = await call('POST', '/v1/auth/login', { from, body: { email, password: 'second-workspace-secret' } });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.field).toBe('workspace');
    const named = await call('POST', '/v1/auth/login', { from, body: { email, password: 'second-workspace-secret', workspace: await slugOf(two.tenantId) } });
    expect(named.status).toBe(200);
    expect(named.body.tenant.id).toBe(two.tenantId);
    // A workspace's own account only: the other password is wrong there.
    const crossed = await call('POST', '/v1/auth/login', { from, body: { email, password: 'first-workspace-secret', workspace: await slugOf(two.tenantId) } });
    expect(crossed.status).toBe(401);
    expect((await call('POST', '/v1/auth/login', { from, body: { email, password: 'first-workspace-secret', workspace: 'no-such-workspace' } })).status).toBe(401);
  });
});
