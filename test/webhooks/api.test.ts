/**
 * `/v1/webhooks/*`: subscriptions (secret shown once, rotation, validation naming the field),
 * admin-only access, and tenant isolation of subscriptions, deliveries and replays.
 */
import { describe, expect, it } from 'vitest';
import { signedIn } from '../console-api/support';
import { waitUntil } from '../support/wait';
import { rigForFile, startReceiver, subscribe } from './support';

const file = rigForFile();

describe('subscriptions', () => {
  it('show the secret on create and rotation only, and update, disable and delete', async () => {
    const { stack } = file.rig;
    const { apiKey } = await stack.createTenant();
    const created = await stack.request('POST', '/v1/webhooks/subscriptions', { apiKey, body: { url: file.receiver.url, eventTypes: ['message.received', 'message.received', 'run.failed'], description: 'CRM' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: file.receiver.url, eventTypes: ['message.received', 'run.failed'], description: 'CRM', enabled: true, disabledReason: null });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const id = created.body.id;

    const got = await stack.request('GET', `/v1/webhooks/subscriptions/${id}`, { apiKey });
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('secret');
    expect(JSON.stringify((await stack.request('GET', '/v1/webhooks/subscriptions', { apiKey })).body)).not.toContain(created.body.secret);

    const rotated = await stack.request('PATCH', `/v1/webhooks/subscriptions/${id}`, { apiKey, body: { rotateSecret: true, enabled: false } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.enabled).toBe(false);
    const edited = await stack.request('PATCH', `/v1/webhooks/subscriptions/${id}`, { apiKey, body: { eventTypes: ['*'] } });
    expect(edited.body).not.toHaveProperty('secret');
    expect(edited.body.eventTypes).toEqual(['*']);

    // The secret is stored encrypted, never in clear.
    const [row] = await stack.orm.em.fork().getConnection().execute(`select secret_encrypted from webhook_subscriptions where id = ?`, [id]);
    expect(row.secret_encrypted).toMatch(/^v1:/);
    expect(row.secret_encrypted).not.toContain(rotated.body.secret);

    expect((await stack.request('DELETE', `/v1/webhooks/subscriptions/${id}`, { apiKey })).status).toBe(204);
    expect((await stack.request('GET', `/v1/webhooks/subscriptions/${id}`, { apiKey })).status).toBe(404);
  });

  it('refuse a bad URL or event type with a 400 naming the field', async () => {
    const { stack } = file.rig;
    const { apiKey } = await stack.createTenant();
    const cases: [unknown, string][] = [
      [{ url: 'ftp://example.com/x', eventTypes: ['*'] }, 'url'],
      [{ url: 'not a url', eventTypes: ['*'] }, 'url'],
      [{ url: 'https://example.com/hook', eventTypes: ['message.deleted'] }, 'eventTypes'],
      [{ url: 'https://example.com/hook', eventTypes: [] }, 'eventTypes'],
      [{ url: 'https://example.com/hook' }, 'eventTypes'],
    ];
    for (const [body, field] of cases) {
      const res = await stack.request('POST', '/v1/webhooks/subscriptions', { apiKey, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(res.body)).toMatch(new RegExp(`^${field}`));
    }
    const bad = await stack.request('GET', '/v1/webhooks/deliveries?status=lost', { apiKey });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'status']);
  });

  it('are for admins only, reads included', async () => {
    const { stack } = file.rig;
    const { apiKey } = await stack.createTenant();
    const builder = await signedIn(stack, apiKey, 'builder');
    expect((await builder.request('GET', '/v1/webhooks/subscriptions')).status).toBe(403);
    expect((await builder.request('GET', '/v1/webhooks/deliveries')).status).toBe(403);
    expect((await builder.request('POST', '/v1/webhooks/subscriptions', { body: { url: file.receiver.url, eventTypes: ['*'] } })).status).toBe(403);
    const admin = await signedIn(stack, apiKey, 'admin');
    expect((await admin.request('GET', '/v1/webhooks/subscriptions')).status).toBe(200);
  });
});

describe('tenant isolation', () => {
  it('tenant B cannot read, change, delete or replay tenant A’s subscriptions and deliveries', async () => {
    const { stack } = file.rig;
    const a = await stack.createTenant();
    const b = await stack.createTenant();
    const failing = await startReceiver(() => ({ status: 500 }));
    try {
      const sub = await subscribe(stack, a.apiKey, failing.url);
      await file.rig.emit(a.tenantId, 'run.failed', { error: 'boom' });
      let deliveryId = '';
      await waitUntil(async () => {
        const list = await stack.request('GET', `/v1/webhooks/deliveries?status=dead&subscriptionId=${sub.id}`, { apiKey: a.apiKey });
        deliveryId = list.body.items[0]?.id ?? '';
        return deliveryId !== '';
      }, 15_000, 'a dead delivery');

      const asB = (method: string, path: string, body?: unknown) => stack.request(method, path, { apiKey: b.apiKey, body });
      expect((await asB('GET', `/v1/webhooks/subscriptions/${sub.id}`)).status).toBe(404);
      expect((await asB('PATCH', `/v1/webhooks/subscriptions/${sub.id}`, { url: 'https://evil.example/hook' })).status).toBe(404);
      expect((await asB('DELETE', `/v1/webhooks/subscriptions/${sub.id}`)).status).toBe(404);
      expect((await asB('GET', '/v1/webhooks/subscriptions')).body.items).toEqual([]);
      expect((await asB('GET', '/v1/webhooks/deliveries')).body.items).toEqual([]);
      expect((await asB('GET', `/v1/webhooks/deliveries?subscriptionId=${sub.id}`)).body.items).toEqual([]);
      expect((await asB('GET', `/v1/webhooks/deliveries/${deliveryId}`)).status).toBe(404);
      expect((await asB('POST', `/v1/webhooks/deliveries/${deliveryId}/replay`)).status).toBe(404);
      expect((await asB('POST', '/v1/webhooks/deliveries/replay', { ids: [deliveryId] })).body).toEqual({ replayed: 0 });
      expect((await asB('POST', '/v1/webhooks/deliveries/replay', { subscriptionId: sub.id })).status).toBe(404);
      expect((await asB('POST', '/v1/webhooks/deliveries/replay', {})).body).toEqual({ replayed: 0 });

      // Still A's, untouched: dead, with its attempt log.
      const mine = await stack.request('GET', `/v1/webhooks/deliveries/${deliveryId}`, { apiKey: a.apiKey });
      expect(mine.body).toMatchObject({ status: 'dead', attempts: 3, lastStatusCode: 500 });
      expect(mine.body.attemptLog).toHaveLength(3);
      expect((await stack.request('GET', `/v1/webhooks/subscriptions/${sub.id}`, { apiKey: a.apiKey })).body.url).toBe(failing.url);
    } finally {
      await failing.close();
    }
  });
});
