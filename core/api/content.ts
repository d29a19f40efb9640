/** Brand voices, content generation and checks, WhatsApp templates: request and answer schemas. */
import { z } from 'zod';
import { brandVoiceFields, EMOJI_POLICIES } from '../campaigns/brand-voice';
import { CAMPAIGN_CHANNELS } from '../campaigns/channels';
import { campaignBrief, campaignVariant, variantContent } from '../campaigns/content';
import { WHATSAPP_TEMPLATE_CATEGORIES, WHATSAPP_TEMPLATE_STATUSES } from '../campaigns/whatsapp-templates';
import { text } from './common';

export const brandVoiceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    tone: z.string(),
    useWords: z.array(z.string()),
    avoidWords: z.array(z.string()),
    examples: z.array(z.string()),
    emojiPolicy: z.enum(EMOJI_POLICIES),
    language: z.string(),
    isDefault: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'BrandVoice' });
export type BrandVoiceDto = z.infer<typeof brandVoiceSchema>;
export const brandVoiceList = z.object({ items: z.array(brandVoiceSchema) });
export const brandVoiceBody = brandVoiceFields;
/** A patch names only what changes: no defaults fill the rest. */
export const brandVoicePatch = z
  .object({
    name: brandVoiceFields.shape.name.optional(),
    tone: brandVoiceFields.shape.tone.unwrap().optional(),
    useWords: brandVoiceFields.shape.useWords.unwrap().optional(),
    avoidWords: brandVoiceFields.shape.avoidWords.unwrap().optional(),
    examples: brandVoiceFields.shape.examples.unwrap().optional(),
    emojiPolicy: z.enum(EMOJI_POLICIES).optional(),
    language: brandVoiceFields.shape.language.unwrap().optional(),
    isDefault: z.boolean().optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), { message: 'nothing to change' });

/** "Try it": a message rewritten in the voice, or a brief written in it. */
export const brandVoiceTryBody = z
  .object({
    text: text().trim().min(1).max(2000).optional(),
    brief: campaignBrief.omit({ brandVoiceId: true }).partial({ channels: true }).optional(),
  })
  .refine((body) => Boolean(body.text) !== Boolean(body.brief), { message: 'give either text or brief', path: ['text'] });
export const brandVoiceTryResult = z.object({
  sample: z.string(),
  /** `model:<id>` or `template-writer` (no model configured: the text is checked, not rewritten). */
  generatedBy: z.string(),
  warnings: z.array(z.string()),
  variants: z.array(campaignVariant).optional(),
});

export const generateContentBody = z.object({
  brief: campaignBrief,
  channelsOnly: z.array(z.enum(CAMPAIGN_CHANNELS)).min(1).optional(),
  previous: z.array(campaignVariant).max(4).optional(),
});
export const generatedContent = z.object({ variants: z.array(campaignVariant), generatedBy: z.string(), warnings: z.array(z.string()) }).meta({ id: 'GeneratedContent' });

export const checkContentBody = variantContent;
export const smsSegmentsSchema = z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number(), characters: z.number(), perSegment: z.number() });
export const contentCheckResult = z.object({
  warnings: z.array(z.string()),
  /** The SMS as counted (each variable at a typical length), when there is one. */
  sms: smsSegmentsSchema.nullable(),
  /** Personalization variables the content uses, for the preview. */
  variables: z.array(z.string()),
  /** The WhatsApp text as a template to submit for review: variables become {{1}}, {{2}}… (the parameters, filled at send). */
  whatsappTemplate: z.object({ body: z.string(), parameters: z.array(z.string()) }).nullable(),
});

export const whatsappTemplateSchema = z
  .object({
    id: z.string(),
    channelId: z.string(),
    name: z.string(),
    language: z.string(),
    category: z.enum(WHATSAPP_TEMPLATE_CATEGORIES),
    body: z.string(),
    parameterCount: z.number(),
    status: z.enum(WHATSAPP_TEMPLATE_STATUSES),
    rejectedReason: z.string().nullable(),
    providerTemplateId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WhatsappTemplate' });
export type WhatsappTemplateDto = z.infer<typeof whatsappTemplateSchema>;
export const whatsappTemplateList = z.object({ items: z.array(whatsappTemplateSchema) });
export const whatsappTemplateRefreshResult = z.object({ items: z.array(whatsappTemplateSchema), updated: z.number(), added: z.number() });
