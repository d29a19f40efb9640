import { z } from 'zod';
import { CSAT_SCALES } from '../csat';
import { defineNode, variableIn } from './define';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier');

export const csatNode = defineNode({
  type: 'csat',
  label: 'CSAT',
  description: 'Asks the contact to rate the conversation (1–5 stars or thumbs up/down) with the best widget of the channel, stores the rating and branches on it.',
  category: 'messaging',
  data: z.object({
    question: z.string().min(1, 'question is required').max(1024).describe('The rating question, e.g. "How did we do today?"; may contain {{variables}}'),
    scale: z.enum(CSAT_SCALES).default('five').describe('five: 1 to 5 stars; thumbs: thumbs up (stored as 5) or down (stored as 1)'),
    variable: identifier.default('csat_score').describe('Variable that stores the score, 1 to 5 (a thumbs up is 5, a thumbs down 1)'),
    followUp: z.string().max(1024).optional().describe('Optional question asked after the rating, whose answer is stored as the comment, e.g. "What could we do better?"'),
    commentVariable: identifier.default('csat_comment').describe('Variable that stores the answer to the follow-up question'),
    instruction: z.string().max(300).optional().describe('How SMS and email contacts are told to answer; defaults to "Reply with a number from 1 (very poor) to 5 (excellent)." or "Reply YES or NO."'),
    retryPrompt: z.string().max(1024).optional().describe('Sent once when the reply is not a rating, before asking again; a second such reply follows "no answer"'),
    timeoutSeconds: z.number().int().positive().max(30 * 24 * 3600).default(86_400).describe('Seconds to wait for the rating (and again for the comment) before following "no answer" (or going on without the comment)'),
  }),
  // satisfied: 4–5 stars or a thumbs up; unsatisfied: 1–3 or a thumbs down.
  outputs: ['satisfied', 'unsatisfied', 'noAnswer'],
  // Unconnected, `unsatisfied` and `noAnswer` end the walk.
  optionalOutputs: ['unsatisfied', 'noAnswer'],
  waitsForInput: true,
  templateFields: ['question', 'followUp', 'retryPrompt', 'instruction'],
  longTextFields: ['question', 'followUp', 'retryPrompt'],
  sets: (d) => [...variableIn(d.variable ?? 'csat_score'), ...(d.followUp ? variableIn(d.commentVariable ?? 'csat_comment') : [])],
  summary: (d) => (d.question ? `${d.scale === 'thumbs' ? '👍/👎' : '1–5 ⭐'} ${d.question}` : undefined),
});
