/**
 * The prompt for a model writing campaign content, and the reading of its answer. The model
 * writes one master message and its adaptation per channel as JSON; the email's HTML and the
 * WhatsApp template's parameters are derived here, so they always match the text.
 */
import { z } from 'zod';
import { brandVoiceInstructions, type BrandVoiceProfile } from '../../core/campaigns/brand-voice';
import type { CampaignChannel } from '../../core/campaigns/channels';
import type { CampaignBrief, CampaignVariant, VariantContent } from '../../core/campaigns/content';
import { emailHtml } from '../../core/campaigns/email-html';
import { templateFromText, templateName } from '../../core/campaigns/whatsapp-templates';
import type { ChatMessage } from '../../core/chat';

const CHANNEL_RULES: Record<CampaignChannel, string> = {
  sms: '"sms": one text of at most 300 characters in the GSM-7 alphabet (no emoji, no curly quotes), starting with the business name, ending with the line "Reply STOP to opt out".',
  whatsapp: '"whatsapp": a friendly message of at most 600 characters; it becomes a WhatsApp template, so it must not start or end with a {{variable}}.',
  email: '"email": {"subject": at most 60 characters, "preheader": 40 to 100 characters that add to the subject, "text": the body in plain text with blank lines between paragraphs}.',
  messenger: '"messenger": a conversational message of at most 600 characters.',
};

const SOCIAL_RULE =
  '"social": {"instagram": a caption with 3 to 8 relevant hashtags at the end, "facebook": a post without hashtags, "google": a Google Business post of at most 1500 characters without hashtags}.';

export interface ModelPromptInput {
  brief: CampaignBrief;
  channels: CampaignChannel[];
  variants: number;
  tenantName: string;
  voice: BrandVoiceProfile | null;
  facts: string[];
  previous?: CampaignVariant[];
}

export function contentPrompt(input: ModelPromptInput): ChatMessage[] {
  const { brief, channels, variants, tenantName, voice, facts, previous } = input;
  const rules = [
    `You write marketing messages for ${tenantName}. Answer with JSON only, no prose and no code fence.`,
    `Shape: {"variants": [ ${variants} object(s), each {"master": the core message in two or three sentences, ${[...channels.map((c) => `"${c}"`), ...(brief.social ? ['"social"'] : [])].join(', ')}} ]}.`,
    ...channels.map((c) => CHANNEL_RULES[c]),
    ...(brief.social ? [SOCIAL_RULE] : []),
    'Each variant takes a different angle (for an A/B test).',
    'Greet the contact with {{contact.firstName|there}} where a greeting fits; use no other {{variables}}.',
    'State only facts from the brief and the facts list: never invent prices, dates, menu items or claims.',
    brief.link ? `Put the link ${brief.link} exactly once in each message, unchanged.` : 'There is no link: do not make one up.',
    voice ? brandVoiceInstructions(voice) : 'Tone: friendly and clear.',
    `Write in ${brief.language ?? voice?.language ?? 'en'}.`,
  ];
  const briefLines = [
    `Goal: ${brief.goal}`,
    brief.offer && `Offer: ${brief.offer}`,
    brief.dates && `Dates: ${brief.dates}`,
    brief.callToAction && `Call to action: ${brief.callToAction}`,
    brief.link && `Link: ${brief.link}`,
    facts.length && `Facts:\n${facts.map((f) => `- ${f}`).join('\n')}`,
    previous?.length && `Earlier versions to improve on and not repeat:\n${JSON.stringify(previous.map((v) => v.content))}`,
  ].filter(Boolean);
  return [
    { role: 'system', content: rules.join('\n') },
    { role: 'user', content: briefLines.join('\n') },
  ];
}

const line = z.string().trim().min(1);
const modelVariant = z.object({
  master: z.string().optional(),
  sms: line.optional(),
  whatsapp: line.optional(),
  email: z.object({ subject: line, preheader: z.string().trim().default(''), text: line }).optional(),
  messenger: line.optional(),
  social: z.object({ instagram: z.string().trim().default(''), facebook: z.string().trim().default(''), google: z.string().trim().default('') }).optional(),
});
const modelAnswer = z.object({ variants: z.array(modelVariant).min(1) });

/** The first JSON object in the answer (models sometimes wrap it in a fence or a sentence). */
function jsonIn(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('the answer holds no JSON object');
  return JSON.parse(content.slice(start, end + 1));
}

export interface ReadOptions {
  brief: CampaignBrief;
  channels: CampaignChannel[];
  voice: BrandVoiceProfile | null;
}

/** The model's answer as variant content, or the reason it cannot be used (to tell the model). */
export function readModelAnswer(content: string, { brief, channels, voice }: ReadOptions): { variants: VariantContent[] } | { error: string } {
  let parsed: z.infer<typeof modelAnswer>;
  try {
    parsed = modelAnswer.parse(jsonIn(content));
  } catch (err) {
    return { error: err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message };
  }
  const missing = parsed.variants.flatMap((v, i) => channels.filter((c) => !v[c]).map((c) => `variants[${i}].${c}`));
  if (missing.length) return { error: `missing: ${missing.join(', ')}` };
  const cta = brief.link && brief.callToAction ? { label: brief.callToAction, url: brief.link } : undefined;
  const language = (brief.language ?? voice?.language ?? 'en').replace('-', '_');
  const variants = parsed.variants.map((v, i): VariantContent => {
    const content: VariantContent = {};
    if (channels.includes('sms')) content.sms = { text: v.sms! };
    if (channels.includes('whatsapp')) {
      const { parameters } = templateFromText(v.whatsapp!);
      content.whatsapp = { text: v.whatsapp!, template: { name: templateName(brief.goal, `_${String.fromCharCode(97 + i)}`), language, parameters } };
    }
    if (channels.includes('email')) content.email = { ...v.email!, html: emailHtml({ text: v.email!.text, preheader: v.email!.preheader, cta }) };
    if (channels.includes('messenger')) content.messenger = { text: v.messenger! };
    if (brief.social && v.social) content.social = v.social;
    return content;
  });
  return { variants };
}
