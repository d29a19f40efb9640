/**
 * What a campaign says: the brief a marketer writes, and the generated content per channel and
 * variant. Text fields may carry personalization variables (`{{contact.firstName|there}}`, see
 * personalize.ts) and plain URLs (the sender rewrites each into a per-recipient tracked link).
 */
import { z } from 'zod';
import { text } from '../api/common';
import { CAMPAIGN_CHANNELS } from './channels';

export const campaignBrief = z.object({
  goal: text().trim().min(1, 'goal is required').max(1000),
  offer: text().trim().max(1000).optional(),
  /** Free text ("every Friday in March", "Dec 12–14"). */
  dates: text().trim().max(200).optional(),
  callToAction: text().trim().max(300).optional(),
  /** Where the call to action leads; tracked per recipient. */
  link: z.url().max(2000).optional(),
  /** Facts the content may state (menu items, prices); nothing else is claimed. */
  facts: z.array(text().trim().min(1).max(500)).max(30).optional(),
  /** Facts are also drawn from this knowledge base (top passages for the goal). */
  knowledgeBaseId: z.uuid().optional(),
  channels: z.array(z.enum(CAMPAIGN_CHANNELS)).min(1).max(4),
  /** Also write social captions (Instagram, Facebook, Google Business) to copy. */
  social: z.boolean().optional(),
  brandVoiceId: z.uuid().optional(),
  language: text().trim().min(2).max(20).optional(),
  /** How many variants to write (A/B…). */
  variants: z.number().int().min(1).max(4).default(1),
});
export type CampaignBrief = z.infer<typeof campaignBrief>;

export const MESSENGER_TAGS = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE', 'HUMAN_AGENT'] as const;

export const smsContent = z.object({ text: text().min(1).max(1600) });
export const whatsappContent = z.object({
  /** The session message (inside the 24-hour window) and the template's readable text. */
  text: text().min(1).max(4096),
  /** Outside the 24-hour window WhatsApp takes only an approved template; parameters may be personalized. */
  template: z.object({ name: text().min(1).max(512), language: text().min(2).max(15), parameters: z.array(text().max(1024)).max(20) }).optional(),
});
export const emailContent = z.object({
  subject: text().min(1).max(200),
  /** The inbox preview line shown after the subject. */
  preheader: text().max(200).default(''),
  html: text().min(1).max(200_000),
  text: text().min(1).max(100_000),
});
export const messengerContent = z.object({
  text: text().min(1).max(2000),
  /** Outside the 24-hour window Messenger takes a message only with a tag that fits it. */
  tag: z.enum(MESSENGER_TAGS).optional(),
});
export const socialCaptions = z.object({ instagram: text().max(2200), facebook: text().max(5000), google: text().max(1500) });

/**
 * A video sent with the variant on every channel it goes out on (WhatsApp video message, Messenger
 * attachment, email and SMS/MMS link with the poster): a finished render of /v1/videos, or a script
 * rendered before sending — once for everyone, or per recipient when it has `{{contact.…}}` variables.
 */
export const campaignVideo = z
  .object({
    renderId: z.uuid({ message: 'video.renderId must be a UUID' }).optional(),
    script: text().trim().min(1).max(2000).optional(),
    avatarId: z.uuid({ message: 'video.avatarId must be a UUID' }).optional(),
    voiceProfileId: z.uuid({ message: 'video.voiceProfileId must be a UUID' }).nullable().optional(),
  })
  .strict()
  .refine((v) => (v.renderId ? !v.script && !v.avatarId : !!v.script && !!v.avatarId), {
    message: 'a video is either a renderId or a script with an avatarId',
    path: ['renderId'],
  });
export type CampaignVideo = z.infer<typeof campaignVideo>;

export const variantContent = z.object({
  video: campaignVideo.optional(),
  sms: smsContent.optional(),
  whatsapp: whatsappContent.optional(),
  email: emailContent.optional(),
  messenger: messengerContent.optional(),
  social: socialCaptions.optional(),
});
export type VariantContent = z.infer<typeof variantContent>;

export const campaignVariant = z.object({
  /** 'A', 'B', … */
  id: z.string().regex(/^[A-D]$/),
  content: variantContent,
  /** `model:<model id>`, `template-writer` (the offline writer), or `edited` once a user changed it. */
  generatedBy: text().max(200),
  /** Limits the content is at or beyond (SMS segments, UCS-2, lengths), said per channel. */
  warnings: z.array(text()).default([]),
});
export type CampaignVariant = z.infer<typeof campaignVariant>;
