/**
 * Campaign content from a brief: the tenant's model writes it (llm/, with the provider chain and
 * call records), or, with no model configured, the offline `template-writer` fills the brief into
 * per-channel templates. Either way the limits are enforced afterwards: content beyond a limit
 * or off the brand voice goes back to the model once with the problems named, then whatever is
 * still too long is cut to fit, and what remains is said in each variant's warnings.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { stripEmoji, voiceViolations, type BrandVoiceProfile } from '../../core/campaigns/brand-voice';
import type { CampaignChannel } from '../../core/campaigns/channels';
import type { CampaignBrief, CampaignVariant, VariantContent } from '../../core/campaigns/content';
import { checkVariant, fitVariant } from '../../core/campaigns/limits';
import type { ChatMessage } from '../../core/chat';
import { runWithFallback } from '../../llm/run';
import { contentPrompt, readModelAnswer } from './model-writer';
import { knowledgeFacts, loadContentContext, type ContentContext, type ContentDeps } from './store';
import { TEMPLATE_WRITER, templateWriterVariant } from './template-writer';

export { TEMPLATE_WRITER };

const VARIANT_IDS = ['A', 'B', 'C', 'D'] as const;

export interface GenerateOptions {
  /** Write only these channels (regenerating one channel keeps the others as they are). */
  channelsOnly?: CampaignChannel[];
  /** The current variants: the model is asked for something different; untouched channels are kept. */
  previous?: CampaignVariant[];
  /** Recorded with the model calls (the campaign's workflow id); `content` for calls from the API. */
  workflowId?: string;
}

export interface GeneratedContent {
  variants: CampaignVariant[];
  generatedBy: string;
  warnings: string[];
}

/** The texts of a variant the brand voice applies to (URLs and HTML left out). */
const voicedTexts = (c: VariantContent): [string, string][] =>
  [
    ['sms', c.sms?.text],
    ['whatsapp', c.whatsapp?.text],
    ['email', c.email && `${c.email.subject}\n${c.email.preheader}\n${c.email.text}`],
    ['messenger', c.messenger?.text],
    ['social', c.social && `${c.social.instagram}\n${c.social.facebook}\n${c.social.google}`],
  ].filter((entry): entry is [string, string] => Boolean(entry[1]));

function voiceWarnings(voice: BrandVoiceProfile | null, content: VariantContent): string[] {
  if (!voice) return [];
  return voicedTexts(content).flatMap(([label, value]) => voiceViolations(voice, value).map((v) => `${label}: ${v}`));
}

/** A voice without emoji gets none, whatever the model wrote; the email's HTML is rebuilt from its text by the writer. */
function applyVoice(voice: BrandVoiceProfile | null, content: VariantContent): VariantContent {
  if (voice?.emojiPolicy !== 'none') return content;
  const out = structuredClone(content);
  if (out.sms) out.sms.text = stripEmoji(out.sms.text);
  if (out.whatsapp) out.whatsapp.text = stripEmoji(out.whatsapp.text);
  if (out.messenger) out.messenger.text = stripEmoji(out.messenger.text);
  if (out.email) {
    out.email.subject = stripEmoji(out.email.subject);
    out.email.preheader = stripEmoji(out.email.preheader);
  }
  if (out.social) out.social = { instagram: stripEmoji(out.social.instagram), facebook: stripEmoji(out.social.facebook), google: stripEmoji(out.social.google) };
  return out;
}

/** Problems worth asking the model again about: hard limits and the voice (not the informational notes). */
const fixable = (warnings: string[]) => warnings.filter((w) => /segments|UCS-2|characters;|over \d|at most|avoided word|emoji|opt-out|unknown variable/.test(w));

interface Written {
  contents: VariantContent[];
  generatedBy: string;
}

async function writeWithModel(orm: MikroORM, tenantId: string, workflowId: string, ctx: ContentContext, messages: ChatMessage[], read: (content: string) => ReturnType<typeof readModelAnswer>): Promise<Written | null> {
  const scope = { tenantId, workflowId, nodeId: 'generateContent' };
  const conversation = [...messages];
  let best: VariantContent[] | null = null;
  let model = '';
  // One answer, then at most two corrections: an unreadable answer, or content beyond the limits.
  for (let round = 0; round < 3; round++) {
    const { completion } = await runWithFallback(orm, scope, ctx.providers, { messages: conversation, temperature: 0.7, maxTokens: 3000 });
    await ctx.countTokens(completion);
    model = completion.model;
    const answer = read(completion.content ?? '');
    let feedback: string;
    if ('error' in answer) {
      feedback = `That answer could not be used (${answer.error}). Answer again with the JSON shape asked for, and nothing else.`;
    } else {
      best = answer.variants;
      const problems = answer.variants.flatMap((content, i) => [...fixable(checkVariant(content)), ...voiceWarnings(ctx.voice, content)].map((p) => `variant ${i + 1} ${p}`));
      if (problems.length === 0 || round === 2) break;
      feedback = `Fix these and answer with the whole JSON again:\n${problems.map((p) => `- ${p}`).join('\n')}`;
    }
    conversation.push({ role: 'assistant', content: completion.content ?? '' }, { role: 'user', content: feedback });
  }
  return best ? { contents: best, generatedBy: `model:${model}` } : null;
}

export async function generateCampaignContent(
  deps: ContentDeps,
  tenantId: string,
  brief: CampaignBrief,
  opts: GenerateOptions = {},
): Promise<GeneratedContent> {
  const ctx = await loadContentContext(deps, tenantId, brief.brandVoiceId);
  const channels = opts.channelsOnly?.length ? brief.channels.filter((c) => opts.channelsOnly!.includes(c)) : brief.channels;
  const count = Math.max(brief.variants, opts.previous?.length ?? 0);
  const facts = [...(brief.facts ?? []), ...(brief.knowledgeBaseId ? await knowledgeFacts(deps, tenantId, brief.knowledgeBaseId, brief.goal) : [])];
  const writerInput = { brief, channels, tenantName: ctx.tenantName, voice: ctx.voice, facts };

  let written: Written | null = null;
  const runWarnings: string[] = [];
  if (ctx.overQuota) runWarnings.push(`the month's LLM token quota is used up: the ${TEMPLATE_WRITER} wrote this content`);
  if (ctx.providers.length) {
    const messages = contentPrompt({ ...writerInput, variants: count, previous: opts.previous });
    written = await writeWithModel(deps.orm, tenantId, opts.workflowId ?? 'content', ctx, messages, (content) => readModelAnswer(content, { brief, channels, voice: ctx.voice }));
    if (!written) runWarnings.push(`the model's answers could not be read; the ${TEMPLATE_WRITER} wrote this content instead`);
  }
  written ??= {
    contents: Array.from({ length: count }, (_, variantIndex) => templateWriterVariant({ ...writerInput, variantIndex })),
    generatedBy: TEMPLATE_WRITER,
  };

  const variants = VARIANT_IDS.slice(0, count).map((id, i): CampaignVariant => {
    // A model that wrote fewer variants than asked: the last one is reused (a warning says so).
    const fresh = written.contents[Math.min(i, written.contents.length - 1)]!;
    const kept = opts.previous?.find((v) => v.id === id)?.content ?? {};
    const { content, changed } = fitVariant(applyVoice(ctx.voice, { ...kept, ...fresh }));
    return { id, content, generatedBy: written.generatedBy, warnings: [...changed, ...checkVariant(content), ...voiceWarnings(ctx.voice, content)] };
  });
  if (written.contents.length < count) runWarnings.push(`the model wrote ${written.contents.length} of ${count} variants; the last one is repeated`);
  return { variants, generatedBy: written.generatedBy, warnings: runWarnings };
}
