/**
 * Content through the API on the real stack: brand voices, generation with the fake OpenAI server
 * (limits and voice enforced after it: a correction round, then cuts) and with the offline
 * template-writer, the limit check, "try it", and another tenant's voice out of reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsSizingText } from '../../core/campaigns/limits';
import { smsSegments } from '../../core/campaigns/sms';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let fake: FakeOpenAI;
let offline: { apiKey: string };
let online: { apiKey: string };
let voiceId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ model: 'gpt-content' });
  stack = await startStack({ ...sharedServers(), worker: false, env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' } });
  offline = await stack.createTenant();
  online = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1`, model: 'gpt-content' } });
  const voice = await stack.request('POST', '/v1/brand-voices', {
    apiKey: online.apiKey,
    body: { name: 'Trattoria', tone: 'warm, homely', useWords: ['homemade'], avoidWords: ['cheap'], examples: ['Pasta night is back, come hungry!'], emojiPolicy: 'none', language: 'en' },
  });
  expect(voice.status).toBe(201);
  voiceId = voice.body.id;
});
afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

const brief = { goal: 'Announce our new tasting menu', offer: 'Six courses with paired wines for 65 EUR', dates: 'every Friday in March', callToAction: 'Book a table', link: 'https://trattoria.example/book', channels: ['sms', 'whatsapp', 'email', 'messenger'], social: true, variants: 2 };

describe('brand voices', () => {
  it('are created, listed default first, changed and refused with the field named', async () => {
    expect(await stack.request('GET', `/v1/brand-voices/${voiceId}`, { apiKey: online.apiKey })).toMatchObject({ status: 200, body: { name: 'Trattoria', isDefault: true, avoidWords: ['cheap'] } });
    const second = await stack.request('POST', '/v1/brand-voices', { apiKey: online.apiKey, body: { name: 'Crisp', emojiPolicy: 'freely' } });
    expect(second.body).toMatchObject({ isDefault: false, emojiPolicy: 'freely', language: 'en' });
    const bad = await stack.request('POST', '/v1/brand-voices', { apiKey: online.apiKey, body: { name: 'Loud', emojiPolicy: 'always' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('emojiPolicy');
    const patched = await stack.request('PATCH', `/v1/brand-voices/${second.body.id}`, { apiKey: online.apiKey, body: { isDefault: true } });
    expect(patched.body.isDefault).toBe(true);
    const list = await stack.request('GET', '/v1/brand-voices', { apiKey: online.apiKey });
    expect(list.body.items.map((v: any) => [v.name, v.isDefault])).toEqual([['Crisp', true], ['Trattoria', false]]);
    expect((await stack.request('DELETE', `/v1/brand-voices/${second.body.id}`, { apiKey: online.apiKey })).status).toBe(204);
  });

  it('of another tenant are out of reach, in generation too', async () => {
    for (const [method, path, body] of [
      ['GET', `/v1/brand-voices/${voiceId}`, undefined],
      ['PATCH', `/v1/brand-voices/${voiceId}`, { name: 'Stolen' }],
      ['POST', `/v1/brand-voices/${voiceId}/try`, { text: 'Hello' }],
      ['DELETE', `/v1/brand-voices/${voiceId}`, undefined],
    ] as const) {
      expect((await stack.request(method, path, { apiKey: offline.apiKey, body })).status, `${method} ${path}`).toBe(404);
    }
    const borrowed = await stack.request('POST', '/v1/content/generate', { apiKey: offline.apiKey, body: { brief: { ...brief, brandVoiceId: voiceId } } });
    expect(borrowed.status).toBe(404);
    expect(borrowed.body.error.field).toBe('brandVoiceId');
  });
});

describe('generation offline', () => {
  it('is the template-writer’s, says so, and keeps every channel within its limits', async () => {
    const res = await stack.request('POST', '/v1/content/generate', { apiKey: offline.apiKey, body: { brief } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.generatedBy).toBe('template-writer');
    const [a, b] = res.body.variants;
    expect([a.id, b.id]).toEqual(['A', 'B']);
    expect(a.content.sms.text).not.toBe(b.content.sms.text);
    expect(a.content.sms.text).toMatch(/^Tenant t-[0-9a-f]+: Hi \{\{contact\.firstName\|there\}\}! Announce our new tasting menu\./);
    expect(a.content.sms.text).toMatch(/\nReply STOP to opt out$/);
    expect(smsSegments(a.content.sms.text)).toMatchObject({ encoding: 'GSM-7' });
    expect(smsSegments(a.content.sms.text).segments).toBeLessThanOrEqual(2);
    expect(a.content.whatsapp.template).toEqual({ name: 'announce_our_new_tasting_menu_a', language: 'en', parameters: ['{{contact.firstName|there}}'] });
    expect(a.content.email).toMatchObject({ subject: 'Six courses with paired wines for 65 EUR.', preheader: expect.stringContaining('every Friday in March') });
    expect(a.content.email.html).toContain('<a href="https://trattoria.example/book"');
    expect(a.content.social.instagram).toContain('#');
    expect(a.warnings).toContain('messenger: no tag: only contacts who wrote in the last 24 hours can be reached');
  });
});

describe('generation with a model', () => {
  it('writes in the voice, sends content beyond the limits back once, and cuts what is still too long', async () => {
    const long = `Trattoria: Hi {{contact.firstName|there}}! ${'Our cheap homemade tasting menu is back with six courses. '.repeat(8)}Book: https://trattoria.example/book\nReply STOP to opt out`;
    const variant = (sms: string) => ({
      master: 'Tasting menu',
      sms,
      whatsapp: 'Hi {{contact.firstName|there}}! Six homemade courses with paired wines, every Friday in March. Book: https://trattoria.example/book 🍝',
      email: { subject: 'Six courses, paired wines', preheader: 'Every Friday in March at the Trattoria', text: 'Hi {{contact.firstName|there}},\n\nSix homemade courses.\n\nBook a table: https://trattoria.example/book' },
      messenger: 'Six homemade courses every Friday in March: https://trattoria.example/book',
      social: { instagram: 'Six courses. #tasting #menu', facebook: 'Six courses.', google: 'Six courses.' },
    });
    fake.reset();
    fake.enqueue(
      { content: 'Here you go: not JSON' },
      { content: JSON.stringify({ variants: [variant(long)] }) },
      { content: '```json\n' + JSON.stringify({ variants: [variant(long)] }) + '\n```' },
    );
    const res = await stack.request('POST', '/v1/content/generate', { apiKey: online.apiKey, body: { brief: { ...brief, variants: 1, brandVoiceId: voiceId } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.generatedBy).toBe('model:gpt-content');
    const requests = fake.chatRequests;
    expect(requests).toHaveLength(3);
    const system = requests[0]!.body.messages[0].content as string;
    expect(system).toContain('Write in the brand voice "Trattoria".');
    expect(system).toContain('Never use these words: cheap.');
    expect(system).toContain('Never use emoji.');
    expect(requests[1]!.body.messages.at(-1).content).toMatch(/could not be used/);
    const feedback = requests[2]!.body.messages.at(-1).content as string;
    expect(feedback).toMatch(/variant 1 sms: \d segments/);
    expect(feedback).toContain('variant 1 sms: uses the avoided word "cheap"');

    const [a] = res.body.variants;
    // The model ignored the feedback: the SMS is cut to two segments, its STOP line kept; the emoji is stripped.
    expect(smsSegments(smsSizingText(a.content.sms.text)).segments).toBe(2);
    expect(a.content.sms.text).toMatch(/\.\.\.\nReply STOP to opt out$/);
    expect(a.content.whatsapp.text).not.toContain('🍝');
    expect(a.content.email.html).toContain('Book a table</a>');
    expect(a.warnings).toContain('sms: shortened to fit');
    expect(a.warnings).toContain('sms: uses the avoided word "cheap"');
  });

  it('regenerates one channel and keeps the others', async () => {
    fake.reset();
    fake.enqueue({ content: JSON.stringify({ variants: [{ sms: 'Trattoria: six homemade courses on Fridays. https://trattoria.example/book\nReply STOP to opt out' }] }) });
    const previous = [{ id: 'A', content: { sms: { text: 'old' }, email: { subject: 'Kept', preheader: 'kept preheader text', html: '<p>kept</p>', text: 'kept' } }, generatedBy: 'edited', warnings: [] }];
    const res = await stack.request('POST', '/v1/content/generate', { apiKey: online.apiKey, body: { brief: { ...brief, channels: ['sms', 'email'], social: false, variants: 1 }, channelsOnly: ['sms'], previous } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.variants[0].content.sms.text).toMatch(/^Trattoria: six homemade courses/);
    expect(res.body.variants[0].content.email.subject).toBe('Kept');
    expect(fake.chatRequests[0]!.body.messages[1].content).toContain('Earlier versions to improve on');
  });

  it('answers 503 when the provider is down', async () => {
    fake.reset();
    fake.script(() => ({ status: 500, error: 'down' }));
    const res = await stack.request('POST', '/v1/content/generate', { apiKey: online.apiKey, body: { brief: { ...brief, variants: 1 } } });
    expect(res.status).toBe(503);
    fake.reset();
  });
});

describe('check and try', () => {
  it('checks edited content: SMS segments as sent, warnings, variables', async () => {
    const res = await stack.request('POST', '/v1/content/check', { apiKey: offline.apiKey, body: { sms: { text: 'Hi {{contact.firstname}} 😀 tasting menu Friday' } } });
    expect(res.status).toBe(200);
    expect(res.body.sms).toMatchObject({ encoding: 'UCS-2', segments: 1, perSegment: 70 });
    expect(res.body.variables).toEqual(['contact.firstname']);
    expect(res.body.warnings).toEqual([expect.stringMatching(/^sms: UCS-2/), 'sms: no opt-out instruction (e.g. "Reply STOP to opt out")', expect.stringMatching(/unknown variable \{\{contact.firstname\}\}/)]);
    const wa = await stack.request('POST', '/v1/content/check', { apiKey: offline.apiKey, body: { whatsapp: { text: 'Hi {{contact.firstName|there}}, see you {{contact.attributes.day|soon}}!' } } });
    expect(wa.body.whatsappTemplate).toEqual({ body: 'Hi {{1}}, see you {{2}}!', parameters: ['{{contact.firstName|there}}', '{{contact.attributes.day|soon}}'] });
    expect(wa.body.sms).toBeNull();
    const bad = await stack.request('POST', '/v1/content/check', { apiKey: offline.apiKey, body: { sms: { text: '' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('sms.text');
  });

  it('tries a voice: rewritten by the model, or checked offline', async () => {
    fake.reset();
    fake.enqueue({ content: 'Pasta night is back: homemade and hearty, come hungry!' });
    const online1 = await stack.request('POST', `/v1/brand-voices/${voiceId}/try`, { apiKey: online.apiKey, body: { text: 'Cheap pasta tonight 🍝' } });
    expect(online1.body).toEqual({ sample: 'Pasta night is back: homemade and hearty, come hungry!', generatedBy: 'model:gpt-content', warnings: [] });
    expect(fake.chatRequests[0]!.body.messages[0].content).toContain('Rewrite the user');

    const own = await stack.request('POST', '/v1/brand-voices', { apiKey: offline.apiKey, body: { name: 'Plain', avoidWords: ['cheap'], emojiPolicy: 'none' } });
    const checked = await stack.request('POST', `/v1/brand-voices/${own.body.id}/try`, { apiKey: offline.apiKey, body: { text: 'Cheap pasta tonight 🍝' } });
    expect(checked.body).toMatchObject({ sample: 'Cheap pasta tonight', generatedBy: 'template-writer' });
    expect(checked.body.warnings).toEqual([expect.stringMatching(/no language model/), 'uses the avoided word "cheap"', 'has 1 emoji; the voice uses none']);
    const briefTry = await stack.request('POST', `/v1/brand-voices/${own.body.id}/try`, { apiKey: offline.apiKey, body: { brief: { goal: 'Pasta night on Thursday' } } });
    expect(briefTry.body.sample).toMatch(/Pasta night on Thursday\./);
    const neither = await stack.request('POST', `/v1/brand-voices/${own.body.id}/try`, { apiKey: offline.apiKey, body: {} });
    expect(neither.status).toBe(400);
    expect(neither.body.error.field).toBe('text');
  });
});
