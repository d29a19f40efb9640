/** A tenant with one of everything, so routes with path parameters can be called with real ids. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { systemEm } from '../../db/orm';
import { abandonDelivery, insertDeliveries } from '../../db/repos';
import { receptionFlow } from '../support/flows';
import type { Stack } from '../support/stack';
import { createWebchatChannel } from '../widget/support';

/** Audiences: a contact (opted in on SMS) and a segment. */
interface AudienceIds {
  contact: string;
  segment: string;
  /** A contact only the erasure route removes (the contact above goes by DELETE). */
  erasableContact: string;
}

export interface Fixture {
  tenantId: string;
  apiKey: string;
  ids: { flow: string; conversation: string; workflow: string; knowledgeBase: string; document: string; channel: string; canned: string; user: string; apiKey: string; webhook: string; delivery: string } & AudienceIds & {
    /** An alert rule with a webhook. */
    alertRule: string;
  };
  /** A widget visitor token on the tenant's webchat channel. */
  visitorToken: string;
}

export async function tenantFixture(stack: Stack): Promise<Fixture> {
  const { tenantId, apiKey } = await stack.createTenant();
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await stack.request(method, path, { apiKey, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const { channelId, flowId } = await createWebchatChannel(stack, apiKey, receptionFlow);
  const conversation = await ok('POST', '/v1/conversations', { flowId });
  const kb = await ok('POST', '/v1/knowledge-bases', { name: 'Fuzz' });
  const document = await ok('POST', `/v1/knowledge-bases/${kb.id}/documents`, { name: 'Note', text: 'Opening hours are nine to five.' });
  const canned = await ok('POST', '/v1/canned-responses', { shortcut: 'hello', text: 'Hello!' });
  const contact = await ok('POST', '/v1/contacts', { name: 'Fuzz contact', phone: '+14155550123', tags: ['fuzz'], consent: { sms: 'opted_in' } });
  const erasableContact = await ok('POST', '/v1/contacts', { name: 'Erasable contact', email: 'erasable@example.com' });
  const segment = await ok('POST', '/v1/segments', { name: 'Fuzz segment', filter: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'fuzz' }] } });
  const user = await ok('POST', '/v1/users', { email: `fuzz-${tenantId.slice(0, 8)}@example.com`, name: 'Fuzz', role: 'viewer', password: 'a long enough password 1' });
  // A second key, so a route acting on a key never revokes the one the test uses.
  const otherKey = await ok('POST', '/v1/api-keys', { name: 'other' });
  const webhook = await ok('POST', '/v1/webhooks/subscriptions', { url: 'https://receiver.example/hook', eventTypes: ['*'] });
  // A dead delivery, as the delivery worker leaves one (no worker runs here).
  const delivery = randomUUID();
  await insertDeliveries(systemEm(stack.orm), [{ id: delivery, tenantId, subscriptionId: webhook.id, eventId: randomUUID(), eventType: 'run.completed', eventAt: new Date(), eventSeq: 1, orderKey: null, payload: {} }]);
  await abandonDelivery(systemEm(stack.orm), delivery, 'fixture');
  const alertRule = await ok('POST', '/v1/alerts/rules', { name: 'Fixture alert', metric: 'failed_sends', comparison: 'gt', threshold: 5, windowMinutes: 60, webhookUrl: 'https://receiver.example/alerts' });
  const session = await fetch(`${stack.url}/v1/widget/${channelId}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const visitor = (await session.json()) as { token: string };
  expect(visitor.token).toBeTruthy();
  return {
    tenantId,
    apiKey,
    visitorToken: visitor.token,
    ids: {
      flow: flowId!,
      conversation: conversation.id,
      workflow: conversation.workflowId ?? `conv:${tenantId}:${conversation.id}`,
      knowledgeBase: kb.id,
      document: document.id,
      channel: channelId,
      canned: canned.id,
      user: user.id,
      apiKey: otherKey.id,
      webhook: webhook.id,
      delivery,
      contact: contact.id,
      segment: segment.id,
      alertRule: alertRule.id,
      erasableContact: erasableContact.id,
    },
  };
}

export interface Answer {
  status: number;
  /** The parsed body when it is JSON, else null. */
  body: any;
  text: string;
}

/** Sends a request and reads its answer; no answer within 30 s counts as a 599. */
export async function answer(url: string, init: RequestInit = {}): Promise<Answer> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000), ...init });
    const text = await res.text();
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body, text };
  } catch (err) {
    return { status: 599, body: null, text: `no answer: ${(err as Error).message}` };
  }
}

/** What is wrong with the answer to a malformed request (a 5xx, an error outside the shape), or null. */
export function fault(res: Answer): string | null {
  if (res.status >= 500) return 'server error';
  if (res.status >= 400 && !(typeof res.body?.error?.code === 'string' && typeof res.body.error.message === 'string')) return 'not the error shape';
  return null;
}

/** Shared by the SSRF tests: the IPv6 forms that embed or tunnel an internal IPv4 address (here 127.0.0.1 or 169.254.169.254). */
export const TRANSITION_FORMS = [
  '::7f00:1', // IPv4-compatible
  '::ffff:127.0.0.1', // IPv4-mapped
  '::ffff:7f00:1',
  '64:ff9b::7f00:1', // NAT64
  '64:ff9b::a9fe:a9fe',
  '2002:7f00:1::1', // 6to4
  'fec0::1', // site-local
  '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
];

/**
 * A concrete path for a Fastify route pattern: each `:param` replaced by `id()` (`:version` by 1),
 * a trailing `*` by `x`; `::` is a literal colon in a pattern (`…/documents::bulk`) and stays one.
 */
export function concretePath(pattern: string, id: () => string): string {
  return pattern
    .split('::')
    .map((piece) => piece.replace(/:version/g, '1').replace(/:[A-Za-z]+/g, id))
    .join(':')
    .replace(/\*$/, 'x');
}
