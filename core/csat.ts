/**
 * Customer satisfaction (the `csat` node): how a rating is offered on each channel and how a
 * contact's reply is read. Every score is on one scale, 1–5: a thumbs up is 5, a thumbs down 1,
 * so averages and the satisfied share mean the same whichever scale a flow asked on.
 */
import type { Channel, RichContent } from './messages';

export const CSAT_SCALES = ['five', 'thumbs'] as const;
export type CsatScale = (typeof CSAT_SCALES)[number];

/** A score from here up counts as satisfied (4–5 stars, a thumbs up). */
export const CSAT_SATISFIED_MIN = 4;
export const csatSatisfied = (score: number) => score >= CSAT_SATISFIED_MIN;

const FIVE_TITLES = ['Very poor', 'Poor', 'Okay', 'Good', 'Excellent'];

/** What a text-only channel (SMS, email) adds to the question, unless the node says otherwise. */
export const CSAT_DEFAULT_INSTRUCTION: Record<CsatScale, string> = {
  five: 'Reply with a number from 1 (very poor) to 5 (excellent).',
  thumbs: 'Reply YES or NO.',
};

/** Channels whose replies are plain text with nothing to tap. */
const TEXT_ONLY: readonly Channel[] = ['sms', 'email', 'voice'];
export const csatTextOnly = (channel: Channel | undefined) => channel !== undefined && TEXT_ONLY.includes(channel);

/**
 * The rating's options on a channel that draws them: thumbs as two buttons; five as a list (a
 * WhatsApp list, Messenger quick replies, stars in the web-chat widget). A tap comes back as the
 * option's title, which `parseCsat` reads. Messenger gets quick replies for thumbs too (its button
 * template would send postbacks that stay on screen after the answer).
 */
export function csatInteractive(scale: CsatScale, channel: Channel | undefined): RichContent['interactive'] | undefined {
  if (csatTextOnly(channel)) return undefined;
  if (scale === 'thumbs') {
    const options = [
      { id: 'csat:5', title: '👍 Yes' },
      { id: 'csat:1', title: '👎 No' },
    ];
    return { type: channel === 'messenger' ? 'list' : 'buttons', style: 'thumbs', options };
  }
  // Best first in a list the contact reads top-down; the widget draws stars left to right from the ids.
  const options = [5, 4, 3, 2, 1].map((n) => ({ id: `csat:${n}`, title: `${n} ⭐ ${FIVE_TITLES[n - 1]}` }));
  return { type: 'list', style: 'stars', button: 'Rate', options };
}

const THUMB_UP = /👍|👌|😀|😃|😄|😊|🙂|😍|🥰|❤️|❤/u;
const THUMB_DOWN = /👎|😞|😠|😡|🙁|☹️|☹|😕|😢/u;
const STAR = /[⭐★🌟]/gu;

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5 };
/** Words read as a score on the five scale (English and Spanish); yes/no words only say up or down. */
const WORD_SCORES: Record<string, number> = {
  excellent: 5, great: 5, amazing: 5, perfect: 5, awesome: 5, fantastic: 5, excelente: 5, genial: 5, perfecto: 5, perfecta: 5, 'muy bien': 5, 'muy bueno': 5, 'very good': 5,
  good: 4, 'pretty good': 4, bien: 4, bueno: 4, buena: 4,
  ok: 3, okay: 3, fine: 3, average: 3, 'so so': 3, regular: 3, normal: 3, 'más o menos': 3, 'mas o menos': 3,
  bad: 2, poor: 2, mal: 2, malo: 2, mala: 2, 'not good': 2,
  terrible: 1, awful: 1, horrible: 1, 'very bad': 1, 'very poor': 1, pésimo: 1, pesimo: 1, pésima: 1, fatal: 1, 'muy mal': 1, 'muy malo': 1,
};
const YES = new Set(['yes', 'y', 'yeah', 'yep', 'yup', 'sure', 'satisfied', 'happy', 'helpful', 'thumbs up', 'si', 'sí', 'claro', 'satisfecho', 'satisfecha', 'vale', 'de acuerdo']);
const NO = new Set(['no', 'n', 'nope', 'nah', 'not really', 'unsatisfied', 'dissatisfied', 'unhappy', 'not helpful', 'thumbs down', 'insatisfecho', 'insatisfecha', 'para nada', 'no mucho']);

/** Replies that say the contact cannot tell, although they begin with "no" / "not". */
const UNSURE = /(?<!\p{L})(no idea|not sure|dunno|don ?t know|no s[eé]|ni idea|no lo s[eé])(?!\p{L})/u;

/**
 * A contact's rating, leniently: a digit ("4", "5 stars", "4/5" — the first number), stars
 * ("⭐⭐⭐"), a thumb or face emoji, a number word, or a yes/no or quality word in English or
 * Spanish. Returns the score on the 1–5 scale (thumbs: 5 or 1), or null when the reply says none.
 */
export function parseCsat(raw: string, scale: CsatScale): number | null {
  const text = raw.normalize('NFKC').trim().toLowerCase();
  if (!text) return null;
  const score = readScore(text);
  if (score === null) return null;
  if (scale === 'five') return score;
  // A thumbs question answered with a number: clearly high or low only.
  return score >= CSAT_SATISFIED_MIN ? 5 : score <= 2 ? 1 : null;
}

function readScore(text: string): number | null {
  const digits = text.match(/\d+/);
  if (digits) {
    const n = Number(digits[0]);
    return n >= 1 && n <= 5 ? n : null;
  }
  const stars = text.match(STAR)?.length ?? 0;
  if (stars >= 1 && stars <= 5) return stars;
  if (THUMB_UP.test(text) && !THUMB_DOWN.test(text)) return 5;
  if (THUMB_DOWN.test(text) && !THUMB_UP.test(text)) return 1;
  const words = text.replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
  if (UNSURE.test(words)) return null;
  if (words in NUMBER_WORDS) return NUMBER_WORDS[words];
  if (words in WORD_SCORES) return WORD_SCORES[words];
  if (YES.has(words)) return 5;
  if (NO.has(words)) return 1;
  // A short sentence around one known word ("it was great", "no, gracias"): the first one found, a negation flips it down.
  const tokens = words.split(' ');
  if (tokens.length > 6) return null;
  for (let i = 0; i < tokens.length; i++) {
    const two = tokens.slice(i, i + 2).join(' ');
    const word = two in WORD_SCORES || YES.has(two) || NO.has(two) ? two : tokens[i];
    const value = word in WORD_SCORES ? WORD_SCORES[word] : YES.has(word) ? 5 : NO.has(word) ? 1 : word in NUMBER_WORDS ? NUMBER_WORDS[word] : null;
    if (value === null) continue;
    const negated = i > 0 && ['not', 'no', 'nada'].includes(tokens[i - 1]);
    return negated && value >= CSAT_SATISFIED_MIN ? 2 : value;
  }
  return null;
}
