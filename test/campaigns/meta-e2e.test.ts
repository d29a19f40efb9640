/**
 * WhatsApp and Messenger campaigns end to end through the fake Graph API, on the real stack:
 * outside the 24-hour window WhatsApp gets the approved template with personalized parameters,
 * inside it the session text; Messenger carries its message tag; a STOP reply on WhatsApp opts the
 * contact out and a later campaign skips them; Meta's delivered/read webhooks reach the results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignVariant } from '../../core/campaigns';
import { startChannelBench, type ChannelBench } from '../channels/support';
import { messengerDelivery, messengerRead, whatsappStatus, whatsappText } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';
import { campaignsOf, launch, makeCampaign, makeContacts, recipients, tagged, waitForStatus } from './support';

const PHONE_ID = '106540352242977';
const PAGE_ID = '1477392262503399';
const SECRET = 'meta-app-secret';
let bench: ChannelBench;
let whatsapp: { id: string };
let messenger: { id: string };

let n = 0;
const newPhone = () => `+1555${String(process.pid).slice(-3)}${String(++n).padStart(4, '0')}`;
const waSent = (phone: string) => bench.graph.sent.filter((m) => m.product === 'whatsapp' && m.body.to === phone.slice(1));
const msSent = (psid: string) => bench.graph.sent.filter((m) => m.product === 'messenger' && m.body.recipient.id === psid);
const waHook = () => `${bench.stack.url}/v1/webhooks/whatsapp/${whatsapp.id}`;
const msHook = () => `${bench.stack.url}/v1/webhooks/messenger/${messenger.id}`;
const waIn = (phone: string, body: string) => bench.graph.post(waHook(), SECRET, whatsappText({ phoneNumberId: PHONE_ID, from: phone.slice(1) }, body));

const waVariant = (text: string, parameters: string[], name = 'tasting_menu'): CampaignVariant => ({
  id: 'A',
  content: { whatsapp: { text, template: { name, language: 'en', parameters } } },
  generatedBy: 'edited',
  warnings: [],
});

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-wa-campaign' });
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'EAAP-page-campaign' });
  whatsapp = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-wa-campaign', appSecret: SECRET, verifyToken: 'wa-verify' }, settings: { phoneNumberId: PHONE_ID } });
  messenger = await bench.channel('messenger', { credentials: { pageAccessToken: 'EAAP-page-campaign', appSecret: SECRET, verifyToken: 'ms-verify' }, settings: { pageId: PAGE_ID } });
  await bench.rows(
    `insert into whatsapp_templates (tenant_id, channel_id, name, language, category, body, parameter_count, status) values ($1, $2, 'tasting_menu', 'en', 'MARKETING', 'Hi {{1}}, our tasting menu is on Friday', 1, 'APPROVED')`,
    [bench.tenantId, whatsapp.id],
  );
}, 60_000);
afterAll(() => bench?.close());

const results = async (id: string) => (await bench.stack.request('GET', `/v1/campaigns/${id}/results`, { apiKey: bench.apiKey })).body;

describe('a WhatsApp campaign', () => {
  it('sends the template outside the 24-hour window and the session text inside it; statuses reach the results', async () => {
    const [outside, inside] = [newPhone(), newPhone()];
    await makeContacts(bench, [
      { firstName: 'Ada', phone: outside, tags: ['wa1'], consent: { whatsapp: 'in' } },
      { firstName: 'Grace', phone: inside, tags: ['wa1'], consent: { whatsapp: 'in' } },
    ]);
    // Grace wrote an hour ago… well, just now: her conversation is inside the window.
    await waIn(inside, 'hi');
    await waitUntil(() => waSent(inside).length >= 1, 20_000, 'the flow answers Grace');

    const id = await makeCampaign(bench, { audienceFilter: tagged('wa1'), channels: ['whatsapp'], channelIds: { whatsapp: whatsapp.id }, ratePerSecond: { whatsapp: 0 }, variants: [waVariant('Hi {{contact.firstName|there}}, our tasting menu is on Friday', ['{{contact.firstName|there}}'])] });
    await launch(bench, id);
    expect(await waitForStatus(bench, id, 'completed')).toMatchObject({ sent: 2, failed: 0 });

    const [template] = waSent(outside);
    expect(waSent(outside)).toHaveLength(1);
    expect(template!.body).toMatchObject({ type: 'template', template: { name: 'tasting_menu', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }] }] } });
    const session = waSent(inside).at(-1)!;
    expect(waSent(inside)).toHaveLength(2);
    expect(session.body).toMatchObject({ type: 'text', text: { body: 'Hi Grace, our tasting menu is on Friday' } });

    // Meta's status webhooks: Ada's delivered, Grace's delivered then read
    expect((await bench.graph.post(waHook(), SECRET, whatsappStatus(PHONE_ID, template!.id, 'delivered', outside.slice(1)))).status).toBe(200);
    await bench.graph.post(waHook(), SECRET, whatsappStatus(PHONE_ID, session.id, 'delivered', inside.slice(1)));
    await bench.graph.post(waHook(), SECRET, whatsappStatus(PHONE_ID, session.id, 'read', inside.slice(1)));
    await waitUntil(async () => (await results(id)).totals?.read === 1 && (await results(id)).totals?.delivered === 2, 20_000, 'delivered and read counted');
    const rows = await recipients(bench, id);
    expect(rows.map((r) => [r.address, r.status]).sort()).toEqual([[outside, 'delivered'], [inside, 'read']].sort());
  });

  it('a STOP reply opts the contact out of WhatsApp and a later campaign skips them', async () => {
    const phone = newPhone();
    const [contactId] = await makeContacts(bench, [{ firstName: 'Linus', phone, tags: ['wa2'], consent: { whatsapp: 'in' } }]);
    const variant = waVariant('Hi {{contact.firstName|there}}, our tasting menu is on Friday', ['{{contact.firstName|there}}']);
    const first = await makeCampaign(bench, { audienceFilter: tagged('wa2'), channels: ['whatsapp'], channelIds: { whatsapp: whatsapp.id }, ratePerSecond: { whatsapp: 0 }, variants: [variant] });
    await launch(bench, first);
    await waitForStatus(bench, first, 'completed');
    expect(waSent(phone)).toHaveLength(1);

    await waIn(phone, 'STOP');
    await waitUntil(async () => (await bench.rows(`select status from contact_consents where contact_id = $1 and channel = 'whatsapp'`, [contactId]))[0]?.status === 'opted_out', 20_000, 'opted out');
    const [consent] = await bench.rows(`select method from contact_consents where contact_id = $1 and channel = 'whatsapp'`, [contactId]);
    expect(consent.method).toBe('keyword');
    await waitUntil(() => waSent(phone).length >= 2, 20_000, 'the opt-out confirmation');
    const sentBefore = waSent(phone).length;

    const second = await makeCampaign(bench, { audienceFilter: tagged('wa2'), channels: ['whatsapp'], channelIds: { whatsapp: whatsapp.id }, ratePerSecond: { whatsapp: 0 }, variants: [variant] });
    await launch(bench, second);
    expect(await waitForStatus(bench, second, 'completed')).toMatchObject({ sent: 0, skipped: { opted_out: 1 } });
    expect(waSent(phone)).toHaveLength(sentBefore);
  });
});

describe('WhatsApp template approval', () => {
  const action = (id: string, verb: 'submit' | 'approve') => bench.stack.request('POST', `/v1/campaigns/${id}/${verb}`, { apiKey: bench.apiKey });
  const draft = async (name: string) => {
    const id = await makeCampaign(bench, { audienceFilter: tagged('none'), channels: ['whatsapp'], channelIds: { whatsapp: whatsapp.id }, variants: [waVariant('Hi {{contact.firstName|there}}', ['{{contact.firstName|there}}'], name)] });
    await campaignsOf(bench).startCampaign(bench.tenantId, id);
    return id;
  };

  it('refuses to approve a campaign whose template is not APPROVED, naming it; approves once Meta has', async () => {
    await bench.rows(`insert into whatsapp_templates (tenant_id, channel_id, name, language, category, body, parameter_count, status) values ($1, $2, 'spring_menu', 'en', 'MARKETING', 'Hi {{1}}', 1, 'PENDING')`, [bench.tenantId, whatsapp.id]);
    const id = await draft('spring_menu');
    // Meta may approve a pending template while the campaign is reviewed: the submit goes through
    expect((await action(id, 'submit')).body.status).toBe('awaiting_approval');
    const refused = await action(id, 'approve');
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('variants.0.content.whatsapp.template');
    expect(refused.body.error.message).toMatch(/WhatsApp template spring_menu \(en\) is PENDING/);
    expect((await campaignsOf(bench).campaignProgress(bench.tenantId, id))!.status).toBe('awaiting_approval');

    await bench.rows(`update whatsapp_templates set status = 'REJECTED', rejected_reason = 'INVALID_FORMAT' where channel_id = $1 and name = 'spring_menu'`, [whatsapp.id]);
    expect((await action(id, 'approve')).body.error.message).toMatch(/spring_menu \(en\) is REJECTED \(INVALID_FORMAT\)/);
    await bench.rows(`update whatsapp_templates set status = 'APPROVED' where channel_id = $1 and name = 'spring_menu'`, [whatsapp.id]);
    const approved = await action(id, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.status).not.toBe('awaiting_approval');
  });

  it('refuses to submit a campaign whose template the channel does not have', async () => {
    const id = await draft('no_such_template');
    const refused = await action(id, 'submit');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/WhatsApp template no_such_template \(en\) is not one of the channel's templates/);
    expect((await campaignsOf(bench).campaignProgress(bench.tenantId, id))!.status).toBe('draft');
  });
});

describe('a Messenger campaign', () => {
  it('goes out with its message tag outside the window; delivery and read reach the results', async () => {
    const psid = `${Date.now()}7`;
    await makeContacts(bench, [{ firstName: 'Ada', messengerPsid: psid, tags: ['ms1'], consent: { messenger: 'in' } }]);
    const id = await makeCampaign(bench, {
      audienceFilter: tagged('ms1'), channels: ['messenger'], channelIds: { messenger: messenger.id }, ratePerSecond: { messenger: 0 },
      variants: [{ id: 'A', content: { messenger: { text: 'Hi {{contact.firstName|there}}, your tasting menu seat is confirmed for Friday', tag: 'CONFIRMED_EVENT_UPDATE' } }, generatedBy: 'edited', warnings: [] }],
    });
    await launch(bench, id);
    expect(await waitForStatus(bench, id, 'completed')).toMatchObject({ sent: 1, failed: 0 });
    const [sent] = msSent(psid);
    expect(msSent(psid)).toHaveLength(1);
    expect(sent!.body).toMatchObject({ recipient: { id: psid }, messaging_type: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE', message: { text: 'Hi Ada, your tasting menu seat is confirmed for Friday' } });

    await bench.graph.post(msHook(), SECRET, messengerDelivery(PAGE_ID, psid, [sent!.id]));
    await waitUntil(async () => (await results(id)).totals?.delivered === 1, 20_000, 'delivered counted');
    await bench.graph.post(msHook(), SECRET, messengerRead(PAGE_ID, psid, Date.now() + 1000));
    await waitUntil(async () => (await results(id)).totals?.read === 1, 20_000, 'read counted');
  });
});
