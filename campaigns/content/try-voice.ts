/**
 * The brand voice page's "try it": a message rewritten in the voice by the tenant's model, or,
 * with no model, the message checked against the voice (the offline writer rewrites nothing; it
 * says so). A brief is written as campaign content in the voice instead.
 */
import { brandVoiceInstructions, stripEmoji, voiceViolations } from '../../core/campaigns/brand-voice';
import type { CampaignBrief } from '../../core/campaigns/content';
import { runWithFallback } from '../../llm/run';
import { generateCampaignContent, type GeneratedContent } from './generate';
import { loadContentContext, type ContentDeps } from './store';
import { TEMPLATE_WRITER } from './template-writer';

export interface VoiceSample {
  sample: string;
  generatedBy: string;
  warnings: string[];
  variants?: GeneratedContent['variants'];
}

export async function tryBrandVoice(deps: ContentDeps, tenantId: string, brandVoiceId: string, input: { text?: string; brief?: Omit<CampaignBrief, 'brandVoiceId' | 'channels'> & { channels?: CampaignBrief['channels'] } }): Promise<VoiceSample> {
  if (input.brief) {
    const brief: CampaignBrief = { ...input.brief, channels: input.brief.channels ?? ['sms'], brandVoiceId };
    const generated = await generateCampaignContent(deps, tenantId, brief, { workflowId: 'content:try' });
    const first = generated.variants[0]!.content;
    const sample = first.sms?.text ?? first.whatsapp?.text ?? first.messenger?.text ?? first.email?.text ?? '';
    return { sample, generatedBy: generated.generatedBy, warnings: [...generated.warnings, ...generated.variants.flatMap((v) => v.warnings)], variants: generated.variants };
  }
  const text = input.text ?? '';
  const ctx = await loadContentContext(deps, tenantId, brandVoiceId);
  const voice = ctx.voice!;
  if (!ctx.providers.length) {
    const sample = voice.emojiPolicy === 'none' ? stripEmoji(text) : text;
    const why = ctx.overQuota ? "the month's LLM token quota is used up" : 'no language model is configured';
    return { sample, generatedBy: TEMPLATE_WRITER, warnings: [`${why}: the text is checked against the voice, not rewritten`, ...voiceViolations(voice, text)] };
  }
  const { completion } = await runWithFallback(deps.orm, { tenantId, workflowId: 'content:try', nodeId: 'tryBrandVoice' }, ctx.providers, {
    messages: [
      { role: 'system', content: `${brandVoiceInstructions(voice)}\nRewrite the user's message in this voice. Keep its facts, links and {{variables}}; add nothing. Answer with the message only.` },
      { role: 'user', content: text },
    ],
    temperature: 0.7,
    maxTokens: 800,
  });
  await ctx.countTokens(completion);
  const sample = (completion.content ?? '').trim();
  return { sample, generatedBy: `model:${completion.model}`, warnings: voiceViolations(voice, sample) };
}
