/**
 * The offline writer (`template-writer`): with no model configured, the brief is filled into
 * per-channel templates. It invents nothing: every sentence is the brief's own goal, offer, dates,
 * facts and call to action; variants differ only in the greeting and order.
 */
import type { BrandVoiceProfile } from '../../core/campaigns/brand-voice';
import type { CampaignChannel } from '../../core/campaigns/channels';
import type { CampaignBrief, VariantContent } from '../../core/campaigns/content';
import { emailHtml } from '../../core/campaigns/email-html';
import { templateFromText, templateName } from '../../core/campaigns/whatsapp-templates';

export const TEMPLATE_WRITER = 'template-writer';

const GREETINGS = ['Hi {{contact.firstName|there}}!', 'Hello {{contact.firstName|there}},', 'Good news, {{contact.firstName|everyone}}!', 'Dear {{contact.firstName|friend}},'];

const sentence = (value: string | undefined) => {
  const trimmed = value?.trim();
  if (!trimmed) return '';
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

const capitalized = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

export interface WriterInput {
  brief: CampaignBrief;
  channels: CampaignChannel[];
  variantIndex: number;
  tenantName: string;
  voice: BrandVoiceProfile | null;
  facts: string[];
}

export function templateWriterVariant({ brief, channels, variantIndex, tenantName, voice, facts }: WriterInput): VariantContent {
  const greeting = GREETINGS[variantIndex % GREETINGS.length]!;
  const goal = sentence(capitalized(brief.goal));
  const offer = sentence(brief.offer);
  const dates = brief.dates ? sentence(`When: ${brief.dates}`) : '';
  const cta = brief.callToAction?.trim() || (brief.link ? 'Find out more' : '');
  const ctaLine = cta ? (brief.link ? `${cta}: ${brief.link}` : sentence(cta)) : brief.link ?? '';
  // The second variant leads with the offer: something for an A/B test to tell apart.
  const lead = variantIndex % 2 === 1 && offer ? [offer, goal] : [goal, offer];
  const core = [...lead, dates].filter(Boolean).join(' ');
  const sparkle = voice?.emojiPolicy === 'freely' ? ' ✨' : '';
  const content: VariantContent = {};

  if (channels.includes('sms')) content.sms = { text: `${tenantName}: ${greeting} ${core}${ctaLine ? ` ${ctaLine}` : ''}\nReply STOP to opt out` };
  if (channels.includes('whatsapp')) {
    const text = `${greeting}${sparkle} ${core}${ctaLine ? `\n\n${ctaLine}` : ''}\n\n${tenantName}`;
    const { parameters } = templateFromText(text);
    content.whatsapp = { text, template: { name: templateName(brief.goal, `_${String.fromCharCode(97 + variantIndex)}`), language: (brief.language ?? voice?.language ?? 'en').replace('-', '_'), parameters } };
  }
  if (channels.includes('email')) {
    const factLines = facts.length ? `\n\n${facts.map((fact) => `- ${fact}`).join('\n')}` : '';
    const text = `${greeting}\n\n${core}${factLines}${ctaLine ? `\n\n${ctaLine}` : ''}\n\n${tenantName}`;
    const subject = (offer || goal).slice(0, 60).trim();
    const preheader = [offer && goal !== subject ? goal : '', dates].filter(Boolean).join(' ').slice(0, 100) || goal.slice(0, 100);
    content.email = { subject, preheader, text, html: emailHtml({ text, preheader, cta: brief.link && cta ? { label: cta, url: brief.link } : undefined }) };
  }
  if (channels.includes('messenger')) content.messenger = { text: `${greeting}${sparkle} ${core}${ctaLine ? `\n${ctaLine}` : ''}` };
  if (brief.social) {
    const hashtags = [tenantName, ...(brief.offer ? [brief.offer] : [])].map((tag) => `#${tag.replace(/[^\p{L}\p{N}]+/gu, '')}`).filter((tag) => tag.length > 1).slice(0, 3).join(' ');
    const post = `${core}${ctaLine ? `\n\n${ctaLine}` : ''}`;
    content.social = { instagram: `${post}${sparkle}\n\n${hashtags}`, facebook: post, google: post };
  }
  return content;
}
