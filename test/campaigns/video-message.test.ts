/** How each channel carries a campaign's video (pure: no stack). */
import { describe, expect, it } from 'vitest';
import { withVideo } from '../../activities/campaigns/send-video';
import { whatsappBody } from '../../channels/whatsapp/outbound';

const media = { url: 'https://media.example/t/1/v.mp4?sig=a&b=1', contentType: 'video/mp4', posterUrl: 'https://media.example/t/1/p.jpg?sig=c' };

describe('withVideo', () => {
  it('puts the video in rich.media on WhatsApp and SMS, keeping the text', () => {
    for (const channel of ['whatsapp', 'sms']) {
      expect(withVideo({ text: 'Friday!', rich: {} }, channel, media)).toEqual({ text: 'Friday!', rich: { media } });
    }
  });

  it('adds the link after the text on Messenger (an attachment would drop the text)', () => {
    const out = withVideo({ text: 'Friday!', rich: { tag: 'ACCOUNT_UPDATE' } }, 'messenger', media);
    expect(out).toEqual({ text: `Friday!\n\n▶ ${media.url}`, rich: { tag: 'ACCOUNT_UPDATE' } });
  });

  it('links the poster to the video in the email HTML (escaped) and the text part', () => {
    const email = { subject: 'Friday', html: '<html><body><p>Hi</p></body></html>', headers: {} };
    const out = withVideo({ text: 'Hi', rich: { email } }, 'email', media);
    expect(out.rich.email!.html).toContain('<a href="https://media.example/t/1/v.mp4?sig=a&amp;b=1"><img src="https://media.example/t/1/p.jpg?sig=c"');
    expect(out.rich.email!.html.endsWith('</p></body></html>')).toBe(true);
    expect(out.text).toBe(`Hi\n\nWatch the video: ${media.url}`);
    expect('media' in out.rich).toBe(false);
  });
});

describe('a WhatsApp template with a video', () => {
  it('sends the video as the header parameter before the body parameters', () => {
    const body = whatsappBody('+15550001', { text: 'Hi Ada', template: { name: 'tasting_video', language: 'en', parameters: ['Ada'] }, media });
    expect(body).toMatchObject({
      type: 'template',
      template: { name: 'tasting_video', components: [{ type: 'header', parameters: [{ type: 'video', video: { link: media.url } }] }, { type: 'body', parameters: [{ type: 'text', text: 'Ada' }] }] },
    });
  });

  it('sends a template without media as before', () => {
    const body = whatsappBody('+15550001', { text: 'Hi', template: { name: 't', language: 'en', parameters: [] } }) as { template: { components: unknown[] } };
    expect(body.template.components).toEqual([]);
  });
});
