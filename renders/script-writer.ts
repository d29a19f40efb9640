/**
 * A video script written from a brief: by the tenant's model in the brand voice (the same voice
 * instructions and provider chain campaign content uses), about as many words as the video's
 * length takes to say; with no model configured, the brief itself is the script (checked against
 * the voice), which is said in the answer rather than pretended otherwise.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { brandVoiceInstructions, stripEmoji } from '../core/campaigns/brand-voice';
import type { Config } from '../core/config';
import { loadContentContext } from '../campaigns/content/store';
import { runWithFallback } from '../llm/run';

/** Conversational speech, the rate video/quality.ts expects. */
const WORDS_PER_SECOND = 2.5;

export async function writeVideoScript(deps: { orm: MikroORM; config: Config }, tenantId: string, input: { brief: string; brandVoiceId?: string | null; seconds: number }): Promise<{ script: string; generatedBy: string }> {
  const ctx = await loadContentContext(deps, tenantId, input.brandVoiceId ?? undefined);
  if (!ctx.providers.length) return { script: ctx.voice?.emojiPolicy === 'none' ? stripEmoji(input.brief) : input.brief, generatedBy: 'brief (no language model is configured)' };
  const words = Math.round(input.seconds * WORDS_PER_SECOND);
  const { completion } = await runWithFallback(deps.orm, { tenantId, workflowId: 'video:script', nodeId: 'writeVideoScript' }, ctx.providers, {
    messages: [
      {
        role: 'system',
        content: `${ctx.voice ? brandVoiceInstructions(ctx.voice) : ''}\nWrite the words a presenter of ${ctx.tenantName} says in a short video, about ${words} words, spoken plainly: no stage directions, no emoji, no headings, no hashtags. Answer with the script only.`,
      },
      { role: 'user', content: input.brief },
    ],
    temperature: 0.7,
    maxTokens: Math.max(200, words * 3),
  });
  const script = stripEmoji((completion.content ?? '').trim());
  return { script: script || input.brief, generatedBy: `model:${completion.model}` };
}
