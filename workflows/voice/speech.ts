/** The verb that speaks a text on a call: the synthesized audio (`<Play>`), or Twilio's own `<Say>` in the language asked for (until the audio is known). */
import type { PromptVerb } from '../../core/voice/types';
import type { SpeechOptions } from './runtime';

export function speechVerb(text: string, options: SpeechOptions, audioUrl: string | null = null): PromptVerb {
  if (audioUrl) return { verb: 'play', url: audioUrl };
  return { verb: 'say', text, ...(options.language ? { language: options.language } : {}) };
}
