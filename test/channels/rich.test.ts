/**
 * Rich replies end to end on the real stack: a choice question goes out as WhatsApp buttons or a
 * list and a tap answers it; a sendMessage node's file and template reach the Cloud API with their
 * placeholders filled; SMS gets the same question as numbered text.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { startChannelBench, transcript, type ChannelBench } from './support';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';
import { whatsappButtonReply, whatsappListReply } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';

const PHONE_ID = '106540352242933';
const SECRET = 'wa-rich-secret';
const LONG_DAY = 'Saturday brunch with live music';
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });

/** Two choices (buttons) → an image → five choices (a list) → a WhatsApp template. */
const richFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'topic', type: 'ask', data: { prompt: 'How can we help?', variable: 'topic', inputType: 'choice', choices: ['Book a table', 'Opening hours'], maxRetries: 1 } },
    {
      id: 'menu',
      type: 'sendMessage',
      data: { text: 'Here is our menu.', media: { url: 'https://cdn.example.com/menus/{{city}}.jpg', contentType: 'image/jpeg', caption: 'Menu ({{topic}})' } },
    },
    { id: 'day', type: 'ask', data: { prompt: 'Which day?', variable: 'day', inputType: 'choice', choices: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', LONG_DAY], maxRetries: 1 } },
    {
      id: 'confirm',
      type: 'sendMessage',
      data: { text: 'Booked: {{topic}} on {{day}}', template: { name: 'booking_confirmation', language: 'en_US', parameters: ['{{topic}}', '{{day}}'] } },
    },
    { id: 'bye', type: 'end', data: {} },
  ],
  edges: [edge('start', 'topic'), edge('topic', 'menu'), edge('menu', 'day'), edge('day', 'confirm'), edge('confirm', 'bye')],
  settings: { handoffKeywords: ['human'], idleTimeoutMinutes: 30, contextWindow: 20, variables: { city: 'amsterdam' } },
};

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const SMS_FROM = '+15005550006';

let bench: ChannelBench;
let twilio: FakeTwilio;
let whatsapp: { id: string; webhookUrl: string };
let sms: { id: string; webhookUrl: string };

beforeAll(async () => {
  twilio = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
  bench = await startChannelBench();
  bench.graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'EAAG-rich-token' });
  whatsapp = await bench.channel('whatsapp', { credentials: { accessToken: 'EAAG-rich-token', appSecret: SECRET, verifyToken: 'rich-verify' }, settings: { phoneNumberId: PHONE_ID } }, richFlow);
  sms = await bench.channel('sms', { credentials: { accountSid: ACCOUNT, authToken: TOKEN }, settings: { fromNumber: SMS_FROM, apiBaseUrl: twilio.url } }, richFlow);
});
afterAll(async () => {
  await bench?.close();
  await twilio?.close();
});

const phone = `1555${String(Date.now()).slice(-7)}`;
const sentTo = (to: string) => bench.graph.sent.filter((m) => m.body.to === to).map((m) => m.body);
const post = (body: unknown) => bench.graph.post(`${bench.stack.url}/v1/webhooks/whatsapp/${whatsapp.id}`, SECRET, body);

async function waitForSent(count: number) {
  await waitUntil(() => sentTo(phone).length >= count, 20_000, `${count} WhatsApp messages`);
  return sentTo(phone);
}

describe('rich replies', () => {
  it('WhatsApp: buttons and a list for choices, taps answer them, media and templates rendered', async () => {
    const contact = { phoneNumberId: PHONE_ID, from: phone, name: 'Grace Hopper' };
    // A tap on a button of an earlier message starts the conversation like any text would.
    await post(whatsappButtonReply(contact, 'hello', 'Hello'));
    const [question] = await waitForSent(1);
    expect(question).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'How can we help?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'Book a table', title: 'Book a table' } }, { type: 'reply', reply: { id: 'Opening hours', title: 'Opening hours' } }] },
      },
    });

    await post(whatsappButtonReply(contact, 'Opening hours', 'Opening hours'));
    const [, image, list] = await waitForSent(3);
    expect(image).toMatchObject({ type: 'image', image: { link: 'https://cdn.example.com/menus/amsterdam.jpg', caption: 'Menu (Opening hours)' } });
    expect(list.type).toBe('interactive');
    expect(list.interactive.type).toBe('list');
    expect(list.interactive.body.text).toBe('Which day?');
    const rows = list.interactive.action.sections[0].rows as { id: string; title: string }[];
    expect(rows.map((r) => r.title)).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', LONG_DAY.slice(0, 24)]);

    // WhatsApp echoes the row's (shortened) title as the reply text: it still picks the full choice.
    await post(whatsappListReply(contact, rows[4].id, rows[4].title));
    const [, , , template] = await waitForSent(4);
    expect(template).toMatchObject({
      type: 'template',
      template: {
        name: 'booking_confirmation',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Opening hours' }, { type: 'text', text: LONG_DAY }] }],
      },
    });

    const out = (await transcript(bench, whatsapp.id)).filter((m) => m.direction === 'out');
    expect(out.map((m) => m.text)).toEqual(['How can we help?', 'Here is our menu.', 'Which day?', `Booked: Opening hours on ${LONG_DAY}`]);
    expect(out[0].metadata.rich.interactive.type).toBe('buttons');
    expect(out[1].metadata.rich.media.url).toBe('https://cdn.example.com/menus/amsterdam.jpg');
    await waitUntil(async () => (await transcript(bench, whatsapp.id)).filter((m) => m.direction === 'out' && m.external_id).length === 4, 10_000, 'all four stored as sent');
  });

  it('SMS: a choice question arrives as numbered text and the number answers it', async () => {
    const from = `+1555${String(Date.now()).slice(-7)}`;
    const smsTo = () => twilio.messages.filter((m) => m.to === from);
    await twilio.sendInbound(sms.webhookUrl, TOKEN, { To: SMS_FROM, From: from, Body: 'hi' });
    await waitUntil(() => smsTo().length >= 1, 20_000, 'the question by SMS');
    expect(smsTo()[0].body).toBe('How can we help?\n\n1. Book a table\n2. Opening hours');

    await twilio.sendInbound(sms.webhookUrl, TOKEN, { To: SMS_FROM, From: from, Body: '1' });
    await waitUntil(() => smsTo().length >= 3, 20_000, 'the menu and the next question');
    expect(smsTo()[1]).toMatchObject({ body: 'Here is our menu.', mediaUrls: ['https://cdn.example.com/menus/amsterdam.jpg'] });
    expect(smsTo()[2].body).toBe(`Which day?\n\n1. Monday\n2. Tuesday\n3. Wednesday\n4. Thursday\n5. ${LONG_DAY}`);
  });
});
