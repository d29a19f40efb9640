/**
 * The campaign REST API on the real stack (API, worker, Temporal, PostgreSQL): drafts and their
 * run, bad input naming the field, edits re-checked against the channel limits, previews per
 * contact, the approval round trip with the marketer and approver roles, pause/resume/cancel,
 * deletes, lists (status, name, calendar window) and another tenant's campaigns out of reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAction } from '../../api/plugins/audit';
import { signedIn, type ConsoleClient } from '../console-api/support';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { draftCampaign, optedInContact, smsVariant, variant } from './fixtures';

let stack: Stack;
let tenant: { tenantId: string; apiKey: string };
let other: { tenantId: string; apiKey: string };
let marketer: ConsoleClient;
let approver: ConsoleClient;

beforeAll(async () => {
  stack = await startStack(sharedServers());
  [tenant, other] = await Promise.all([stack.createTenant(), stack.createTenant()]);
  [marketer, approver] = await Promise.all([signedIn(stack, tenant.apiKey, 'marketer'), signedIn(stack, tenant.apiKey, 'approver')]);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const call = (method: string, path: string, body?: unknown, apiKey = tenant.apiKey) => stack.request(method, path, { apiKey, body });
const fieldOf = (res: { body: any }) => res.body?.error?.field;
const NEXT_YEAR = new Date(Date.now() + 365 * 86_400_000).toISOString();

describe('drafts', () => {
  it('creates a draft whose run answers at once', async () => {
    const created = await marketer.request('POST', '/v1/campaigns', { body: { name: 'Flu shots', channels: ['sms', 'email'], timezone: 'Europe/Paris', quietHours: { start: '21:00', end: '08:00', channels: { sms: { start: '20:00', end: '09:00' } } } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Flu shots', status: 'draft', channels: ['sms', 'email'], timezone: 'Europe/Paris', quietHours: { start: '21:00', end: '08:00', channels: { sms: { start: '20:00', end: '09:00' } } }, createdBy: expect.stringContaining('marketer'), variants: [] });
    expect(created.body.workflowId).toContain(created.body.id);
    const progress = await marketer.request('GET', `/v1/campaigns/${created.body.id}/progress`);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ status: 'draft', targeted: 0, paused: false });
    expect((await call('GET', `/v1/campaigns/${created.body.id}`)).body).toEqual(created.body);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const base = { name: 'Bad', channels: ['sms'] };
    const cases: [unknown, string][] = [
      [{ ...base, channels: ['fax'] }, 'channels.0'],
      [{ ...base, channels: ['sms', 'sms'] }, 'channels'],
      [{ ...base, channels: [] }, 'channels'],
      [{ ...base, name: '  ' }, 'name'],
      [{ ...base, quietHours: { start: '25:00', end: '08:00' } }, 'quietHours.start'],
      [{ ...base, quietHours: { start: '08:00', end: '08:00' } }, 'quietHours.end'],
      [{ ...base, quietHours: { start: '21:00', end: '08:00', channels: { sms: { start: '7pm', end: '09:00' } } } }, 'quietHours.channels.sms.start'],
      [{ ...base, sendAt: '2027-01-01' }, 'sendAt'],
      [{ ...base, timezone: 'Mars/Olympus' }, 'timezone'],
      [{ ...base, ratePerSecond: { sms: -1 } }, 'ratePerSecond.sms'],
      [{ ...base, abTest: { sharePercent: 1, metric: 'reply', waitMinutes: 60 } }, 'abTest.sharePercent'],
      [{ ...base, brief: { goal: '', channels: ['sms'] } }, 'brief.goal'],
      [{ ...base, segmentId: 'not-a-uuid' }, 'segmentId'],
      [{ ...base, surprise: true }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/v1/campaigns', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field) expect(fieldOf(res), JSON.stringify(body)).toBe(field);
    }
    const draft = await draftCampaign(stack, tenant.apiKey);
    expect(fieldOf(await call('PATCH', `/v1/campaigns/${draft.id}`, {}))).toBe('name');
    expect(fieldOf(await call('PATCH', `/v1/campaigns/${draft.id}`, { abTest: { sharePercent: 20, metric: 'click', waitMinutes: 60 } }))).toBe('abTest');
    expect(fieldOf(await call('POST', `/v1/campaigns/${draft.id}/rate`, { ratePerSecond: {} }))).toBe('ratePerSecond');
    expect(fieldOf(await call('GET', `/v1/campaigns/${draft.id}/preview?variant=E`))).toBe('variant');
    expect(fieldOf(await call('GET', `/v1/campaigns/${draft.id}/preview?variant=B`))).toBe('variant');
    expect(fieldOf(await call('GET', '/v1/campaigns?status=dreaming'))).toBe('status');
    expect(fieldOf(await call('GET', `/v1/campaigns/${draft.id}/preview?contactId=${draft.id}`))).toBe('contactId');
  });

  it('marks edited variants and checks their limits again', async () => {
    const draft = await draftCampaign(stack, tenant.apiKey, {}, ['Short and plain. Reply STOP to opt out', 'Also short. Reply STOP to opt out']);
    const b = draft.variants[1];
    const long = `Bonjour ${'é'.repeat(5)} 🎉 `.repeat(12);
    const res = await call('PATCH', `/v1/campaigns/${draft.id}`, { variants: [{ ...smsVariant('A', long), generatedBy: 'model:gpt', warnings: [] }, { ...b, generatedBy: 'template-writer' }] });
    expect(res.status).toBe(200);
    const [a, kept] = res.body.variants;
    expect(a.generatedBy).toBe('edited');
    expect(a.warnings.join(' ')).toMatch(/UCS-2|segment/);
    // B's content did not change: it keeps who wrote it.
    expect(kept.generatedBy).toBe('edited');
    expect(kept.warnings).toEqual([]);
    const abTest = await call('PATCH', `/v1/campaigns/${draft.id}`, { abTest: { sharePercent: 20, metric: 'click', waitMinutes: 60 } });
    expect(abTest.status).toBe(200);
    expect(abTest.body.abTest).toEqual({ sharePercent: 20, metric: 'click', waitMinutes: 60 });
  });
});

describe('preview', () => {
  it('personalizes each channel for a contact, lists what it has no value for, and keeps names out of the HTML', async () => {
    const ada = await optedInContact(stack, tenant.tenantId, { firstName: 'Ada', name: 'Ada Lovelace', phone: '+15550001111', attributes: { city: 'Paris' } });
    const bobby = await optedInContact(stack, tenant.tenantId, { firstName: '<b>Bobby</b>', email: 'bobby@example.test' });
    const draft = await draftCampaign(stack, tenant.apiKey, { channels: ['sms', 'email'] });
    const text = 'Hi {{contact.firstName|there}} in {{contact.city}}{{contact.lastName}}!';
    const html = '<p>Hello {{contact.firstName|friend}}</p>';
    await call('PATCH', `/v1/campaigns/${draft.id}`, { variants: [variant('A', { sms: { text }, email: { subject: 'For {{contact.firstName|you}}', preheader: '', html, text: 'Hello {{contact.firstName|friend}}' } })] });

    const forAda = await call('GET', `/v1/campaigns/${draft.id}/preview?contactId=${ada.id}&variant=A`);
    expect(forAda.status).toBe(200);
    expect(forAda.body.contact).toEqual({ id: ada.id, name: 'Ada Lovelace' });
    expect(forAda.body.channels.sms).toEqual({ text: 'Hi Ada in Paris!', encoding: 'GSM-7', segments: 1, characters: 16 });
    expect(forAda.body.channels.email.subject).toBe('For Ada');
    expect(forAda.body.missing).toEqual(['contact.lastName']);

    const nobody = await call('GET', `/v1/campaigns/${draft.id}/preview`);
    expect(nobody.body.channels.sms.text).toBe('Hi there in !');
    expect(nobody.body.missing).toEqual(['contact.firstName', 'contact.city', 'contact.lastName']);

    const forBobby = await call('GET', `/v1/campaigns/${draft.id}/preview?contactId=${bobby.id}`);
    expect(forBobby.body.channels.email.html).toBe('<p>Hello &lt;b&gt;Bobby&lt;/b&gt;</p>');
    expect(forBobby.body.channels.email.text).toBe('Hello <b>Bobby</b>');
  });
});

describe('approval and control', () => {
  it('goes draft → awaiting approval → changes requested → approved, each step answered by the run, with roles enforced', async () => {
    const draft = await draftCampaign(stack, tenant.apiKey, { sendAt: NEXT_YEAR });
    const submitted = await marketer.request('POST', `/v1/campaigns/${draft.id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('awaiting_approval');
    expect((await marketer.request('PATCH', `/v1/campaigns/${draft.id}`, { body: { name: 'Sneaky edit' } })).status).toBe(409);
    expect((await marketer.request('DELETE', `/v1/campaigns/${draft.id}`)).status).toBe(409);
    const queue = await marketer.request('GET', '/v1/campaigns/approvals');
    expect(queue.body.items.map((c: { id: string }) => c.id)).toContain(draft.id);
    expect(queue.body.items.find((c: { id: string }) => c.id === draft.id).submitted.by).toContain('marketer');

    // Whoever writes a campaign does not approve it.
    const denied = await marketer.request('POST', `/v1/campaigns/${draft.id}/approve`);
    expect(denied.status).toBe(403);
    expect(fieldOf(denied)).toBe('role');
    expect(fieldOf(await approver.request('POST', `/v1/campaigns/${draft.id}/request-changes`, { body: { comment: ' ' } }))).toBe('comment');
    const back = await approver.request('POST', `/v1/campaigns/${draft.id}/request-changes`, { body: { comment: 'Say which Friday.' } });
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('changes_requested');
    const sentBack = (await call('GET', `/v1/campaigns/${draft.id}`)).body;
    expect(sentBack.changesRequested).toMatchObject({ by: expect.stringContaining('approver'), comment: 'Say which Friday.' });

    expect((await marketer.request('PATCH', `/v1/campaigns/${draft.id}`, { body: { variants: [smsVariant('A', 'Our tasting menu is back on Friday the 12th.')] } })).status).toBe(200);
    expect((await marketer.request('POST', `/v1/campaigns/${draft.id}/submit`)).body.status).toBe('awaiting_approval');
    const approved = await approver.request('POST', `/v1/campaigns/${draft.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'scheduled', sendAt: NEXT_YEAR });
    const stored = (await call('GET', `/v1/campaigns/${draft.id}`)).body;
    expect(stored.approved.by).toContain('approver');
    expect((await call('GET', '/v1/campaigns/approvals')).body.items.map((c: { id: string }) => c.id)).not.toContain(draft.id);

    // A second approve is the run's refusal, as a 409 saying why.
    const again = await approver.request('POST', `/v1/campaigns/${draft.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/scheduled/);
  });

  it('pauses, resumes, changes the rate and cancels, each answered with the new state', async () => {
    const draft = await draftCampaign(stack, tenant.apiKey, { sendAt: NEXT_YEAR });
    await call('POST', `/v1/campaigns/${draft.id}/submit`);
    await call('POST', `/v1/campaigns/${draft.id}/approve`);
    const started = Date.now();
    const paused = await marketer.request('POST', `/v1/campaigns/${draft.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', paused: true });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await marketer.request('POST', `/v1/campaigns/${draft.id}/pause`)).status).toBe(409);
    expect((await marketer.request('POST', `/v1/campaigns/${draft.id}/resume`)).body).toMatchObject({ status: 'scheduled', paused: false });
    expect((await marketer.request('POST', `/v1/campaigns/${draft.id}/rate`, { body: { ratePerSecond: { sms: 5 } } })).status).toBe(200);
    const cancelled = await marketer.request('POST', `/v1/campaigns/${draft.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await call('GET', `/v1/campaigns/${draft.id}/progress`)).body.status).toBe('cancelled');
    expect((await marketer.request('POST', `/v1/campaigns/${draft.id}/resume`)).status).toBe(409);
  });

  it('deletes a draft (and its run), nothing else', async () => {
    const draft = await draftCampaign(stack, tenant.apiKey);
    expect((await marketer.request('DELETE', `/v1/campaigns/${draft.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/campaigns/${draft.id}`)).status).toBe(404);
    expect((await call('POST', `/v1/campaigns/${draft.id}/submit`)).status).toBe(404);
  });

  it('names each action in the audit log', async () => {
    for (const [path, action] of [
      ['generate', 'campaign.generate'],
      ['submit', 'campaign.submit'],
      ['approve', 'campaign.approve'],
      ['request-changes', 'campaign.request-changes'],
      ['pause', 'campaign.pause'],
      ['resume', 'campaign.resume'],
      ['cancel', 'campaign.cancel'],
      ['rate', 'campaign.rate'],
    ]) {
      expect(auditAction('POST', `/v1/campaigns/:id/${path}`).action).toBe(action);
    }
    const draft = await draftCampaign(stack, tenant.apiKey);
    await marketer.request('POST', `/v1/campaigns/${draft.id}/submit`);
    const log = await call('GET', `/v1/audit-log?targetId=${draft.id}`);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['campaign.submit', 'campaign.update', 'campaign.create']);
  });
});

describe('lists', () => {
  it('filters by status and name, and by when a campaign goes out for the calendar', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const later = new Date(Date.now() + 40 * 86_400_000).toISOString();
    const [a, b] = [await draftCampaign(stack, tenant.apiKey, { name: 'Calendar soon', sendAt: soon }), await draftCampaign(stack, tenant.apiKey, { name: 'Calendar later', sendAt: later })];
    await call('POST', `/v1/campaigns/${b.id}/submit`);
    const ids = async (query: string) => ((await call('GET', `/v1/campaigns?${query}`)).body.items as { id: string }[]).map((c) => c.id);
    expect(await ids('q=calendar')).toEqual([b.id, a.id]);
    expect(await ids('q=calendar&status=awaiting_approval')).toEqual([b.id]);
    expect(await ids('q=calendar&status=draft,changes_requested')).toEqual([a.id]);
    const window = new URLSearchParams({ from: new Date().toISOString(), to: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    expect(await ids(`${window}&q=calendar`)).toEqual([a.id]);
    const first = await call('GET', '/v1/campaigns?q=calendar&limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await call('GET', `/v1/campaigns?q=calendar&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).toBe(a.id);
  });
});

describe('another tenant', () => {
  it('cannot reach a campaign or name its own ids in one', async () => {
    const draft = await draftCampaign(stack, tenant.apiKey);
    const key = other.apiKey;
    for (const [method, path, body] of [
      ['GET', `/v1/campaigns/${draft.id}`],
      ['PATCH', `/v1/campaigns/${draft.id}`, { name: 'Mine now' }],
      ['DELETE', `/v1/campaigns/${draft.id}`],
      ['POST', `/v1/campaigns/${draft.id}/generate`, {}],
      ['POST', `/v1/campaigns/${draft.id}/submit`],
      ['POST', `/v1/campaigns/${draft.id}/cancel`],
      ['POST', `/v1/campaigns/${draft.id}/rate`, { ratePerSecond: { sms: 1 } }],
      ['GET', `/v1/campaigns/${draft.id}/progress`],
      ['GET', `/v1/campaigns/${draft.id}/preview`],
      ['GET', `/v1/campaigns/${draft.id}/results`],
      ['GET', `/v1/campaigns/${draft.id}/results.csv`],
    ] as [string, string, unknown?][]) {
      const res = await call(method, path, body, key);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(JSON.stringify((await call('GET', '/v1/campaigns', undefined, key)).body)).not.toContain(draft.id);
    const flow = await call('POST', '/v1/flows', { name: 'Replies', graph: receptionFlow });
    const borrowed = await call('POST', '/v1/campaigns', { name: 'Borrowed', channels: ['sms'], flowId: flow.body.id }, key);
    expect(borrowed.status).toBe(404);
    expect(fieldOf(borrowed)).toBe('flowId');
    const contact = await optedInContact(stack, tenant.tenantId, { firstName: 'Ada' });
    const own = await draftCampaign(stack, key);
    expect(fieldOf(await call('GET', `/v1/campaigns/${own.id}/preview?contactId=${contact.id}`, undefined, key))).toBe('contactId');
    // Untouched.
    expect((await call('GET', `/v1/campaigns/${draft.id}`)).body).toMatchObject({ name: 'Tasting menu', status: 'draft' });
  });
});

describe('content', () => {
  it('writes the content from the brief with the offline writer, one channel again on request, only while editable', async () => {
    const created = await marketer.request('POST', '/v1/campaigns', {
      body: { name: 'Flu shots', channels: ['sms', 'email'], brief: { goal: 'Book a flu shot this month', offer: 'Free for over-65s', callToAction: 'Book now', channels: ['sms', 'email'], variants: 2 } },
    });
    const id = created.body.id;
    const generated = await marketer.request('POST', `/v1/campaigns/${id}/generate`, { body: {} });
    expect(generated.status).toBe(200);
    const [a, b] = generated.body.variants;
    expect(generated.body.variants.map((v: { id: string }) => v.id)).toEqual(['A', 'B']);
    expect(a.generatedBy).toBe('template-writer');
    expect(a.content.sms.text).toMatch(/flu shot/i);
    expect(a.content.email.subject.length).toBeGreaterThan(0);
    expect(b.content.sms.text).not.toBe(a.content.sms.text);

    // Only SMS again: the edited email stays as the marketer left it.
    const edited = { ...a, content: { ...a.content, email: { ...a.content.email, subject: 'Our own subject' } } };
    await marketer.request('PATCH', `/v1/campaigns/${id}`, { body: { variants: [edited, b] } });
    const again = await marketer.request('POST', `/v1/campaigns/${id}/generate`, { body: { channelsOnly: ['sms'] } });
    expect(again.status).toBe(200);
    expect(again.body.variants[0].content.email.subject).toBe('Our own subject');
    expect(again.body.variants[0].content.sms.text.length).toBeGreaterThan(0);

    const briefless = await marketer.request('POST', '/v1/campaigns', { body: { name: 'No brief', channels: ['sms'] } });
    expect(fieldOf(await marketer.request('POST', `/v1/campaigns/${briefless.body.id}/generate`, { body: {} }))).toBe('brief');
    expect(fieldOf(await marketer.request('POST', `/v1/campaigns/${briefless.body.id}/generate`, { body: { brief: { goal: 'x', channels: ['sms'], brandVoiceId: id } } }))).toBe('brief.brandVoiceId');
    await marketer.request('POST', `/v1/campaigns/${id}/submit`);
    const late = await marketer.request('POST', `/v1/campaigns/${id}/generate`, { body: {} });
    expect(late.status).toBe(409);
    expect(fieldOf(late)).toBe('status');
  });
});

describe('OpenAPI', () => {
  it('documents every campaign route', async () => {
    const doc = await stack.request('GET', '/docs/json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths).filter((p) => p.startsWith('/v1/campaigns'));
    expect(paths.sort()).toEqual(
      [
        '/v1/campaigns',
        '/v1/campaigns/approvals',
        '/v1/campaigns/{id}',
        '/v1/campaigns/{id}/approve',
        '/v1/campaigns/{id}/cancel',
        '/v1/campaigns/{id}/generate',
        '/v1/campaigns/{id}/pause',
        '/v1/campaigns/{id}/preview',
        '/v1/campaigns/{id}/progress',
        '/v1/campaigns/{id}/rate',
        '/v1/campaigns/{id}/request-changes',
        '/v1/campaigns/{id}/results',
        '/v1/campaigns/{id}/results.csv',
        '/v1/campaigns/{id}/resume',
        '/v1/campaigns/{id}/submit',
      ].sort(),
    );
    expect(doc.body.paths['/v1/campaigns'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('quietHours');
  });
});
