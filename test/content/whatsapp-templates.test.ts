/**
 * WhatsApp templates end to end: submitted through the API to the fake Graph API, decided by
 * Meta's review arriving as a signed `message_template_status_update` webhook (through the inbound
 * queue), and read back by a refresh, on the real stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { waitUntil } from '../support/wait';

const PHONE_ID = '106540352242999';
const WABA = '102290129340398';
const SECRET = 'wa-template-secret';
let bench: ChannelBench;
let channel: { id: string };
const api = (method: string, path: string, body?: unknown, apiKey = bench.apiKey) => bench.stack.request(method, path, { apiKey, body });

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-tpl-token' });
  bench.graph.addBusinessAccount(WABA, 'EAAG-tpl-token');
  channel = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-tpl-token', appSecret: SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID, businessAccountId: WABA } });
});
afterAll(async () => bench?.close());

const templatesPath = () => `/v1/channels/${channel.id}/whatsapp-templates`;
const statusUpdate = (id: string, name: string, event: string, reason?: string) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: WABA, time: Math.floor(Date.now() / 1000), changes: [{ field: 'message_template_status_update', value: { event, message_template_id: Number(id), message_template_name: name, message_template_language: 'en_US', reason: reason ?? null } }] }],
});

describe('WhatsApp templates', () => {
  it('are submitted to the Graph API, start PENDING and follow Meta’s review from the webhook', async () => {
    const submitted = await api('POST', templatesPath(), {
      name: 'tasting_menu_a',
      language: 'en_US',
      category: 'MARKETING',
      body: 'Hi {{1}}! Our tasting menu is back on {{2}}. Reply STOP to opt out.',
      examples: ['Ana', 'Friday'],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.body).toMatchObject({ name: 'tasting_menu_a', status: 'PENDING', parameterCount: 2, providerTemplateId: expect.stringMatching(/^\d+$/) });
    const [remote] = bench.graph.templatesOf(WABA);
    expect(remote).toMatchObject({ name: 'tasting_menu_a', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', example: { body_text: [['Ana', 'Friday']] } }] });

    const hook = `${bench.stack.url}/v1/webhooks/whatsapp/${channel.id}`;
    // Meta decides, then tells the webhook.
    bench.graph.reviewTemplate(remote!.id, 'APPROVED');
    expect((await bench.graph.post(hook, SECRET, statusUpdate(remote!.id, remote!.name, 'APPROVED'))).status).toBe(200);
    await waitUntil(async () => (await api('GET', templatesPath())).body.items[0]?.status === 'APPROVED', 20_000, 'the template approved');

    bench.graph.reviewTemplate(remote!.id, 'PAUSED');
    expect((await bench.graph.post(hook, SECRET, statusUpdate(remote!.id, remote!.name, 'PAUSED'))).status).toBe(200);
    await waitUntil(async () => (await api('GET', templatesPath())).body.items[0]?.status === 'PAUSED', 20_000, 'the template paused');
    // A review of a template not stored (yet) is retried, as a receipt that overtakes its message is.
    expect((await bench.graph.post(hook, SECRET, statusUpdate('998877665544', 'unknown_one', 'APPROVED'))).status).toBe(200);
    const unknown = async () => (await bench.rows(`select status, attempts, error from inbound_messages where channel_id = $1 and external_id like 'template:998877665544:%'`, [channel.id]))[0];
    await waitUntil(async () => (await unknown())?.attempts >= 2, 30_000, 'the unknown review retried');
    expect(await unknown()).toMatchObject({ status: 'pending', error: 'no template with provider id 998877665544 yet' });
    // A forged review (wrong signature) changes nothing.
    expect((await bench.graph.post(hook, SECRET, statusUpdate(remote!.id, remote!.name, 'APPROVED'), { signature: 'sha256=00' })).status).toBe(403);
  });

  it('refuses a template Meta would refuse, naming the field, and a second one of the same name and language', async () => {
    const gap = await api('POST', templatesPath(), { name: 'gap', language: 'en_US', category: 'MARKETING', body: 'Hi {{1}} and {{3}} there', examples: ['a', 'b'] });
    expect(gap.status).toBe(400);
    expect(gap.body.error.field).toBe('body');
    const noExamples = await api('POST', templatesPath(), { name: 'no_examples', language: 'en_US', category: 'MARKETING', body: 'Hi {{1}} there' });
    expect(noExamples.body.error.field).toBe('examples');
    const badName = await api('POST', templatesPath(), { name: 'Tasting Menu', language: 'en_US', category: 'MARKETING', body: 'Hello' });
    expect(badName.body.error.field).toBe('name');
    const twice = await api('POST', templatesPath(), { name: 'tasting_menu_a', language: 'en_US', category: 'MARKETING', body: 'Hello again' });
    expect(twice.status).toBe(409);
    expect(bench.graph.templatesOf(WABA)).toHaveLength(1);
  });

  it('refresh reads every status from the Graph API, templates made elsewhere included', async () => {
    const second = await api('POST', templatesPath(), { name: 'flu_shots', language: 'en_US', category: 'UTILITY', body: 'Flu shots are in. Book at the front desk.' });
    expect(second.status).toBe(201);
    bench.graph.reviewTemplate(second.body.providerTemplateId, 'REJECTED', 'INVALID_FORMAT');
    // Made in Meta's own manager: the refresh adds it.
    const outside = await fetch(`${bench.graph.url}/v21.0/${WABA}/message_templates`, {
      method: 'POST',
      headers: { authorization: 'Bearer EAAG-tpl-token', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'made_elsewhere', language: 'fr', category: 'MARKETING', components: [{ type: 'BODY', text: 'Bonjour !' }] }),
    });
    expect(outside.status).toBe(200);
    const refreshed = await api('POST', `${templatesPath()}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ added: 1, updated: 1 });
    const byName = Object.fromEntries(refreshed.body.items.map((t: any) => [t.name, t]));
    expect(byName.flu_shots).toMatchObject({ status: 'REJECTED', rejectedReason: 'INVALID_FORMAT' });
    expect(byName.made_elsewhere).toMatchObject({ status: 'PENDING', language: 'fr', body: 'Bonjour !' });
    expect(byName.tasting_menu_a.status).toBe('PAUSED');
  });

  it('need the business account id, and stay within their tenant', async () => {
    const bare = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-tpl-token', appSecret: SECRET, verifyToken: 'v' }, settings: { phoneNumberId: '106540352242000' } });
    const refused = await api('POST', `/v1/channels/${bare.id}/whatsapp-templates/refresh`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('businessAccountId');

    const other = await bench.stack.createTenant();
    for (const [method, path] of [['GET', templatesPath()], ['POST', `${templatesPath()}/refresh`]] as const) {
      expect((await api(method, path, undefined, other.apiKey)).status).toBe(404);
    }
    expect((await api('POST', templatesPath(), { name: 'stolen', language: 'en', category: 'MARKETING', body: 'Hi' }, other.apiKey)).status).toBe(404);
  });
});
