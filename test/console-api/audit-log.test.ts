/**
 * The audit log against the real API and PostgreSQL: management actions by users and API keys are
 * recorded with who, role, what, the changed fields (secrets redacted), IP and time; failures and
 * traffic are not; the table refuses edits; each tenant sees only its own; the CSV export has the
 * same rows; and every state-changing route is either audited or excluded with a reason.
 */
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AUDIT_EXCLUDED, auditAction, isAudited } from '../../api/plugins/audit';
import { AUDIT_CSV_COLUMNS } from '../../core/api/audit';
import { sharedServers } from '../support/shared-servers';
import { automationFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { signedIn } from './support';

let stack: Stack;
let apiKey: string;
let db: pg.Client;

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  ({ apiKey } = await stack.createTenant());
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await stack?.close();
});

const entries = async (key: string, query = '') => (await stack.request('GET', `/v1/audit-log${query}`, { apiKey: key })).body.items as any[];

describe('recording', () => {
  it('records a signed-in user’s flow edit with the fields it changed, and the publish', async () => {
    const admin = await signedIn(stack, apiKey, 'admin');
    const created = await admin.request('POST', '/v1/flows', { body: { name: 'Orders', graph: automationFlow } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await admin.request('PUT', `/v1/flows/${id}`, { body: { name: 'Orders v2' } })).status).toBe(200);
    expect((await admin.request('POST', `/v1/flows/${id}/publish`, { body: { note: 'first' } })).status).toBe(201);

    const mine = (await entries(apiKey, `?targetId=${id}`)).reverse();
    expect(mine.map((e) => e.action)).toEqual(['flow.create', 'flow.update', 'flow.publish']);
    expect(mine[1]).toMatchObject({ actorKind: 'user', actorLabel: admin.email, userId: admin.userId, role: 'admin', scope: null, method: 'PUT', route: '/v1/flows/:id', path: `/v1/flows/${id}`, targetType: 'flow', targetId: id, statusCode: 200 });
    expect(mine[1].changes).toEqual([{ path: 'name', before: 'Orders', after: 'Orders v2' }]);
    expect(mine[1].ip).toMatch(/127\.0\.0\.1/);
    expect(Date.parse(mine[1].createdAt)).toBeGreaterThan(Date.now() - 60_000);
    // A create has no "before": the fields sent, each as an addition.
    expect(mine[0].changes).toContainEqual({ path: 'name', after: 'Orders' });
  });

  it('records an API key’s actions with its scope, and never a secret', async () => {
    const sub = await stack.request('POST', '/v1/webhooks/subscriptions', { apiKey, body: { url: 'https://hooks.example.com/in', eventTypes: ['run.completed'] } });
    expect(sub.status).toBe(201);
    const rotated = await stack.request('PATCH', `/v1/webhooks/subscriptions/${sub.body.id}`, { apiKey, body: { rotateSecret: true, description: 'orders' } });
    expect(rotated.status).toBe(200);
    const llm = await stack.request('PUT', '/v1/settings/llm', { apiKey, body: { baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: 'sk-audit-secret-1234' } });
    expect(llm.status).toBe(200);
    const key = await stack.request('POST', '/v1/api-keys', { apiKey, body: { name: 'reporting', scope: 'read-only' } });

    const log = await entries(apiKey, '?actor=api-key');
    const subEntries = log.filter((e) => e.targetId === sub.body.id).reverse();
    expect(subEntries.map((e) => e.action)).toEqual(['webhook.subscription.create', 'webhook.subscription.update']);
    expect(subEntries[0]).toMatchObject({ actorKind: 'apiKey', actorLabel: 'api-key:test', role: 'admin', scope: 'admin' });
    expect(subEntries[1].changes).toEqual(expect.arrayContaining([{ path: 'description', before: '', after: 'orders' }, { path: 'secret', after: '[redacted]' }]));
    const settings = log.find((e) => e.action === 'settings.llm.update');
    expect(settings.changes).toEqual(expect.arrayContaining([{ path: 'apiKeySet', before: false, after: true }, { path: 'model', after: 'gpt-4o-mini' }]));
    expect(log.find((e) => e.action === 'api-key.create')).toMatchObject({ targetId: key.body.id, changes: expect.arrayContaining([{ path: 'scope', after: 'read-only' }]) });

    const everything = JSON.stringify(await entries(apiKey, '?limit=200'));
    expect(everything).not.toContain('sk-audit-secret-1234');
    expect(everything).not.toContain(key.body.key);
    expect(everything).not.toContain(rotated.body.secret);
  });

  it('records nothing for a refused or failed request, nor for traffic', async () => {
    const { apiKey: fresh } = await stack.createTenant();
    expect((await stack.request('PUT', '/v1/flows/00000000-0000-4000-8000-000000000000', { apiKey: fresh, body: { name: 'x' } })).status).toBe(404);
    expect((await stack.request('POST', '/v1/flows', { apiKey: fresh, body: { name: '' } })).status).toBe(400);
    const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey: fresh, body: { name: 'Menu' } });
    expect((await stack.request('POST', `/v1/knowledge-bases/${kb.body.id}/search`, { apiKey: fresh, body: { query: 'soup' } })).status).toBe(200);
    expect((await entries(fresh)).map((e) => e.action)).toEqual(['knowledge-base.create']);
  });
});

describe('the log', () => {
  it('is append-only in the database', async () => {
    const [one] = await entries(apiKey, '?limit=1');
    await expect(db.query(`update audit_log set actor_label = 'someone else' where id = $1`, [one.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from audit_log where id = $1`, [one.id])).rejects.toThrow(/append-only/);
    expect((await entries(apiKey, '?limit=1'))[0]).toEqual(one);
  });

  it('is the tenant’s own and the admins’ only', async () => {
    const { apiKey: other } = await stack.createTenant();
    const mine = await entries(apiKey, '?limit=200');
    expect(mine.length).toBeGreaterThan(3);
    const theirs = await entries(other, '?limit=200');
    expect(theirs.filter((e) => mine.some((m) => m.id === e.id))).toEqual([]);
    const viewer = await signedIn(stack, apiKey, 'viewer');
    expect((await viewer.request('GET', '/v1/audit-log')).status).toBe(403);
    expect((await viewer.request('GET', '/v1/audit-log/export')).status).toBe(403);
  });

  it('filters by actor, action and time, pages with a cursor, and answers 400 naming a bad filter', async () => {
    const page1 = await stack.request('GET', '/v1/audit-log?limit=2', { apiKey });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await stack.request('GET', `/v1/audit-log?limit=2&cursor=${page1.body.nextCursor}`, { apiKey });
    expect(page2.body.items[0].id).not.toBe(page1.body.items[1].id);
    expect(Date.parse(page2.body.items[0].createdAt)).toBeLessThanOrEqual(Date.parse(page1.body.items[1].createdAt));
    expect((await entries(apiKey, '?action=flow.publish')).every((e) => e.action === 'flow.publish')).toBe(true);
    expect(await entries(apiKey, `?to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).toEqual([]);
    for (const [query, field] of [['?from=yesterday', 'from'], ['?action=DROP%20TABLE', 'action'], [`?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z`, 'from']]) {
      const res = await stack.request('GET', `/v1/audit-log${query}`, { apiKey });
      expect(res.status, query).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });

  it('exports the same entries as CSV', async () => {
    const res = await fetch(`${stack.url}/v1/audit-log/export?actor=api-key`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    const listed = await entries(apiKey, '?actor=api-key&limit=200');
    expect(Object.keys(rows[0])).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows.map((r) => r.action)).toEqual(listed.map((e) => e.action));
    expect(JSON.parse(rows[0].changes)).toEqual(listed[0].changes);
  });
});

describe('coverage', () => {
  it('audits every state-changing route that is not excluded with a reason, under an action name of its own', () => {
    const writes = stack.app.routeAccess.filter((r) => !r.public && !r.websocket && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(writes.length).toBeGreaterThan(30);
    const audited = writes.filter((r) => isAudited(r.method, r.url));
    for (const r of audited) expect(auditAction(r.method, r.url).action, `${r.method} ${r.url}`).toMatch(/^[a-z][a-z.-]*\.[a-z-]+$/);
    // Each exclusion names routes that exist (a renamed route must not fall out of the log unnoticed).
    for (const x of AUDIT_EXCLUDED) expect(writes.some((r) => r.method === x.method && x.route.test(r.url)), String(x.route)).toBe(true);
    expect(auditAction('POST', '/v1/appointments/:id/reschedule').action).toBe('appointment.reschedule');
    expect(auditAction('POST', '/v1/appointments/:id/no-show').action).toBe('appointment.no-show');
    expect(auditAction('POST', '/v1/knowledge-bases/:id/documents').action).toBe('knowledge-base.document.create');
    const management = ['/v1/flows/:id/publish', '/v1/channels/:id', '/v1/settings/llm', '/v1/users/:id', '/v1/api-keys/:id', '/v1/webhooks/subscriptions/:id', '/v1/runs/:runId/terminate'];
    for (const route of management) expect(audited.some((r) => r.url === route), route).toBe(true);
  });
});
