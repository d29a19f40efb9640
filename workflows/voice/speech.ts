/** The verb that speaks a text on a call: Twilio's own `<Say>`, in the language asked for. */
import type { PromptVerb } from '../../core/voice/types';
import type { SpeechOptions } from './runtime';

export function speechVerb(text: string, options: SpeechOptions): PromptVerb {
  return { verb: 'say', text, ...(options.language ? { language: options.language } : {}) };
}
