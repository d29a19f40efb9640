/**
 * Validation of a contact's reply to an `ask` node. `reason` is sent to the contact when the node
 * has no retryPrompt, so it is phrased as a friendly instruction.
 */
import type { RichContent } from './messages';
import type { ASK_INPUT_TYPES } from './nodes/ask';
import { PATTERN_INPUT_MAX, patternMatches } from './regex';

export type AnswerResult = { ok: true; value: string | number | boolean } | { ok: false; reason: string };

export interface AnswerRules {
  inputType?: (typeof ASK_INPUT_TYPES)[number];
  choices?: string[];
  pattern?: string;
}

const YES = new Set(['yes', 'y', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'true', 'correct', 'ja', 'oui', 'si', 'sí']);
const NO = new Set(['no', 'n', 'nope', 'nah', 'false', 'not really', 'nee', 'non']);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const NUMBER = /^[-+]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$/;

export function validateAnswer(raw: string, rules: AnswerRules): AnswerResult {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'Please type an answer.' };
  // Too long for the pattern to look at all of it: not an answer the pattern can vouch for.
  if (rules.pattern !== undefined && (text.length > PATTERN_INPUT_MAX || !patternMatches(rules.pattern, text))) {
    return { ok: false, reason: 'That does not look right, please try again.' };
  }
  switch (rules.inputType ?? 'text') {
    case 'text':
      return { ok: true, value: text };
    case 'number': {
      const compact = text.replace(/\s/g, '');
      return NUMBER.test(compact) ? { ok: true, value: Number(compact.replace(',', '.')) } : { ok: false, reason: 'Please answer with a number.' };
    }
    case 'email':
      return EMAIL.test(text) ? { ok: true, value: text.toLowerCase() } : { ok: false, reason: 'Please enter a valid e-mail address, like name@example.com.' };
    case 'phone': {
      const compact = text.replace(/[\s().-]/g, '');
      return /^\+?\d{7,15}$/.test(compact) ? { ok: true, value: compact } : { ok: false, reason: 'Please enter a valid phone number, digits only, e.g. +31612345678.' };
    }
    case 'yesno': {
      const word = text.toLowerCase().replace(/[.!?]+$/, '').trim();
      if (YES.has(word)) return { ok: true, value: true };
      if (NO.has(word)) return { ok: true, value: false };
      return { ok: false, reason: 'Please answer yes or no.' };
    }
    case 'choice':
      return matchChoice(text, rules.choices ?? []);
  }
}

/** Button / list titles are cut at this many characters by the strictest provider (WhatsApp, Messenger). */
const SHORTEST_TITLE = 20;
/** WhatsApp reply ids may be 256 characters; ids are only echoed back, never matched. */
const OPTION_ID_MAX = 200;

/**
 * A choice question as tappable options: buttons up to 3, a list beyond. A tap comes back as the
 * option's title, which matchChoice accepts even when the provider shortened it.
 */
export function choiceInteractive(choices: string[]): RichContent['interactive'] {
  const options = choices.map((c) => ({ id: c.trim().slice(0, OPTION_ID_MAX), title: c.trim() }));
  return { type: options.length <= 3 ? 'buttons' : 'list', options };
}

function matchChoice(text: string, choices: string[]): AnswerResult {
  const wanted = text.toLowerCase();
  const exact = choices.find((c) => c.trim().toLowerCase() === wanted);
  if (exact !== undefined) return { ok: true, value: exact };
  // A tapped option whose title the provider cut short: the one choice it begins.
  if (wanted.length >= SHORTEST_TITLE) {
    const cut = choices.filter((c) => c.trim().toLowerCase().startsWith(wanted));
    if (cut.length === 1) return { ok: true, value: cut[0] };
  }
  if (/^\d+$/.test(text)) {
    const index = Number(text);
    if (index >= 1 && index <= choices.length) return { ok: true, value: choices[index - 1] };
  }
  const list = choices.map((c, i) => `${i + 1}. ${c}`).join('\n');
  return { ok: false, reason: `Please choose one of:\n${list}` };
}
