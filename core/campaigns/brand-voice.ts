/**
 * A brand voice: how a tenant's messages sound. One profile is written into every generation's
 * prompt and, on request (`brandVoiceId`), into an llmReply node's system prompt; the words to
 * avoid are also checked after generation, since a model does not always heed them.
 */
import { z } from 'zod';
import { text } from '../api/common';

export const EMOJI_POLICIES = ['none', 'sparingly', 'freely'] as const;
export type EmojiPolicy = (typeof EMOJI_POLICIES)[number];

const word = text().trim().min(1).max(60);

export const brandVoiceFields = z.object({
  name: text().trim().min(1, 'name is required').max(100),
  /** "warm, playful, never pushy". */
  tone: text().trim().max(1000).default(''),
  useWords: z.array(word).max(50).default([]),
  avoidWords: z.array(word).max(50).default([]),
  /** Example messages in the voice (the model imitates them). */
  examples: z.array(text().trim().min(1).max(1000)).max(10).default([]),
  emojiPolicy: z.enum(EMOJI_POLICIES).default('sparingly'),
  /** BCP 47 tag ("en", "fr-CA") the content is written in unless a brief says otherwise. */
  language: text().trim().min(2).max(20).default('en'),
  isDefault: z.boolean().default(false),
});
export type BrandVoiceFields = z.infer<typeof brandVoiceFields>;

export type BrandVoiceProfile = Pick<BrandVoiceFields, 'name' | 'tone' | 'useWords' | 'avoidWords' | 'examples' | 'emojiPolicy' | 'language'>;

const EMOJI_RULE: Record<EmojiPolicy, string> = {
  none: 'Never use emoji.',
  sparingly: 'Use at most one emoji per message, only where it adds something.',
  freely: 'Emoji are welcome where they fit.',
};

/** The voice as instructions for a model's system prompt. */
export function brandVoiceInstructions(voice: BrandVoiceProfile): string {
  const lines = [`Write in the brand voice "${voice.name}".`];
  if (voice.tone) lines.push(`Tone: ${voice.tone}.`);
  if (voice.useWords.length) lines.push(`Prefer these words and phrases: ${voice.useWords.join(', ')}.`);
  if (voice.avoidWords.length) lines.push(`Never use these words: ${voice.avoidWords.join(', ')}.`);
  lines.push(EMOJI_RULE[voice.emojiPolicy]);
  lines.push(`Language: ${voice.language}.`);
  if (voice.examples.length) lines.push('Messages in this voice:', ...voice.examples.map((example) => `- ${example}`));
  return lines.join('\n');
}

const EMOJI = /\p{Extended_Pictographic}/gu;

export const countEmoji = (value: string) => (value.match(EMOJI) ?? []).length;

/** The avoided words a text still uses (whole words, case-insensitive) and emoji beyond the policy. */
export function voiceViolations(voice: Pick<BrandVoiceProfile, 'avoidWords' | 'emojiPolicy'>, value: string): string[] {
  const found: string[] = [];
  for (const avoid of voice.avoidWords) {
    const escaped = avoid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(value)) found.push(`uses the avoided word "${avoid}"`);
  }
  const emoji = countEmoji(value);
  if (voice.emojiPolicy === 'none' && emoji > 0) found.push(`has ${emoji} emoji; the voice uses none`);
  return found;
}

/** Emoji removed (for a voice that uses none), spaces tidied. */
export const stripEmoji = (value: string) => value.replace(/\p{Extended_Pictographic}\uFE0F?/gu, '').replace(/[ \t]{2,}/g, ' ').replace(/ +\n/g, '\n').trim();
