/**
 * A video (`rich.media` with `video/mp4` and a poster) on every provider channel, as each provider's
 * wire carries it, against the fakes: a WhatsApp video message by link with its caption, a
 * Messenger video attachment, an email whose poster links to the video, MMS media to a US number
 * within Twilio's 5 MB and a link elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailAdapter as buildEmailAdapter, type EmailCredentials, type EmailSettings } from '../../channels/email/adapter';
import { messengerAdapter, type MessengerCredentials, type MessengerSettings } from '../../channels/messenger';
import { adapterEnv } from '../../channels/registry';
import { twilioAdapter as buildTwilioAdapter, type TwilioCredentials, type TwilioSettings } from '../../channels/twilio/adapter';
import type { ChannelConfig, OutboundSend, SendContext } from '../../channels/types';
import { whatsappAdapter, type WhatsAppCredentials, type WhatsAppSettings } from '../../channels/whatsapp';
import { loadConfig } from '../../core/config';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/graph-api-server';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-server';

const VIDEO_URL = 'https://media.example.com/media/t/t1/renders/r1/video.mp4?expires=1900000000&signature=abc';
const POSTER_URL = 'https://media.example.com/media/t/t1/renders/r1/poster.jpg?expires=1900000000&signature=def';
const video = (over: Partial<NonNullable<OutboundSend['media']>> = {}): OutboundSend => ({
  text: 'This week: lasagna with fresh basil!',
  media: { url: VIDEO_URL, contentType: 'video/mp4', posterUrl: POSTER_URL, byteSize: 3 * 1024 * 1024, ...over },
});
const context = (contactAddress: string): SendContext => ({ idempotencyKey: `k-${randomBytes(4).toString('hex')}`, contactAddress, thread: {}, lastInboundAt: new Date().toISOString() });

let graph: FakeGraphApi;
let twilio: FakeTwilio;
let smtp: FakeSmtp;
const account = `AC${randomBytes(16).toString('hex')}`;
const token = randomBytes(16).toString('hex');
let env: ReturnType<typeof adapterEnv>;

beforeAll(async () => {
  graph = await startFakeGraphApi();
  graph.addWhatsAppNumber({ phoneNumberId: '106540352242999', accessToken: 'EAAG-video' });
  graph.addPage({ pageId: '1477392262599999', accessToken: 'EAAP-video' });
  twilio = await startFakeTwilio({ accounts: { [account]: token } });
  smtp = await startFakeSmtp({ user: 'desk', pass: 'hunter22' });
  env = adapterEnv(loadConfig({ OUTBOUND_ALLOWED_PRIVATE: process.env.OUTBOUND_ALLOWED_PRIVATE, META_GRAPH_URL: graph.url }));
});
afterAll(async () => {
  await graph?.close();
  await twilio?.close();
  await smtp?.close();
});

describe('video messages', () => {
  it('WhatsApp: a video message by link with the text as its caption', async () => {
    const channel: ChannelConfig<WhatsAppCredentials, WhatsAppSettings> = {
      id: 'wa', tenantId: 't1', type: 'whatsapp', name: 'WA', webhookUrl: 'http://x',
      credentials: { accessToken: 'EAAG-video', appSecret: 's', verifyToken: 'v' }, settings: { phoneNumberId: '106540352242999' } as WhatsAppSettings,
    };
    const sent = await whatsappAdapter(env).send(channel, video(), context('15550001111'));
    expect(sent.providerMessageId).toMatch(/^wamid\./);
    expect(graph.sent.at(-1)!.body).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '15550001111',
      type: 'video', video: { link: VIDEO_URL, caption: 'This week: lasagna with fresh basil!' },
    });
  });

  it('Messenger: a video attachment by URL', async () => {
    const channel: ChannelConfig<MessengerCredentials, MessengerSettings> = {
      id: 'ms', tenantId: 't1', type: 'messenger', name: 'FB', webhookUrl: 'http://x',
      credentials: { pageAccessToken: 'EAAP-video', appSecret: 's', verifyToken: 'v' }, settings: { pageId: '1477392262599999', typingIndicators: false } as MessengerSettings,
    };
    await messengerAdapter(env).send(channel, video(), context('7100000000099'));
    expect(graph.sent.at(-1)!.body.message).toEqual({ attachment: { type: 'video', payload: { url: VIDEO_URL, is_reusable: true } } });
  });

  it('email: the poster links to the video, and the text part carries the link', async () => {
    const channel: ChannelConfig<EmailCredentials, EmailSettings> = {
      id: 'em', tenantId: 't1', type: 'email', name: 'Mail', webhookUrl: 'http://x',
      credentials: { smtpUser: 'desk', smtpPass: 'hunter22', inboundSigningSecret: 'x'.repeat(32) },
      settings: { fromAddress: 'desk@hotel.example', smtpHost: '127.0.0.1', smtpPort: smtp.port } as EmailSettings,
    };
    const before = smtp.messages.length;
    await buildEmailAdapter(env).send(channel, video(), context('guest@example.com'));
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const html = String(mail.parsed.html);
    const href = VIDEO_URL.replace(/&/g, '&#38;');
    expect(html).toContain(`<a href="${href}" style="display:inline-block;position:relative"><img src="${POSTER_URL.replace(/&/g, '&#38;')}"`);
    expect(html).toContain('&#9654; Play the video');
    expect(mail.parsed.text).toContain(`Video: ${VIDEO_URL}`);
  });

  describe('SMS (Twilio)', () => {
    const channel = (): ChannelConfig<TwilioCredentials, TwilioSettings> => ({
      id: 'sms', tenantId: 't1', type: 'sms', name: 'SMS', webhookUrl: 'http://127.0.0.1:1/hook',
      credentials: { accountSid: account, authToken: token }, settings: { fromNumber: '+15005550006', apiBaseUrl: twilio.url, statusCallbacks: false } as TwilioSettings,
    });
    const twilioAdapter = () => buildTwilioAdapter(env);

    it('attaches a video under 5 MB to a US number as MMS media', async () => {
      await twilioAdapter().send(channel(), video(), context('+14155550100'));
      expect(twilio.requests.at(-1)!.form).toMatchObject({ To: '+14155550100', Body: 'This week: lasagna with fresh basil!', MediaUrl: VIDEO_URL });
    });

    it('sends a link instead beyond MMS: another country, over 5 MB, or a size unknown', async () => {
      for (const [to, over] of [['+447700900123', {}], ['+14155550101', { byteSize: 6 * 1024 * 1024 }], ['+14155550102', { byteSize: undefined }]] as const) {
        await twilioAdapter().send(channel(), video(over), context(to));
        const form = twilio.requests.at(-1)!.form;
        expect(form.MediaUrl, to).toBeUndefined();
        expect(form.Body).toBe(`This week: lasagna with fresh basil!\n\nVideo: ${VIDEO_URL}`);
      }
    });

    it('keeps sending images as media everywhere', async () => {
      await twilioAdapter().send(channel(), { text: 'Menu', media: { url: 'https://cdn.example.com/menu.jpg', contentType: 'image/jpeg' } }, context('+447700900124'));
      expect(twilio.requests.at(-1)!.form).toMatchObject({ MediaUrl: 'https://cdn.example.com/menu.jpg', Body: 'Menu' });
    });
  });
});
