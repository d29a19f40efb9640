/**
 * CSAT: asks for a rating with the channel's best widget (core/csat.ts), reads the reply leniently,
 * stores the score (the `recordCsat` activity) and follows `satisfied` (4–5, thumbs up) or
 * `unsatisfied`. A reply that is no rating is asked about once more; a second one, or no reply in
 * time, follows `noAnswer`. With a follow-up question the node waits again for the comment, which
 * completes the stored response; no comment in time goes on without one.
 */
import { csatInteractive, csatSatisfied, csatTextOnly, CSAT_DEFAULT_INSTRUCTION, parseCsat } from '../../../core/csat';
import { renderTemplate } from '../../../core/template';
import type { FlowRuntime, NodeHandler, NodeOf, Outcome } from '../types';

type Csat = NodeOf<'csat'>;

/** `retries` while the node waits for the follow-up comment rather than the rating (0 and 1 are the rating's tries). */
const AWAITING_COMMENT = 100;
/** How often an unreadable rating is asked again before `noAnswer`. */
const RATING_RETRIES = 1;

export const csat: NodeHandler<'csat'> = {
  async run(node, rt) {
    await askRating(node, rt, renderTemplate(node.data.question, rt.variables));
    return { kind: 'await', retries: 0 };
  },

  async answer(node, rt, text, retries) {
    if (retries >= AWAITING_COMMENT) return complete(node, rt, text.trim() || null);
    const score = parseCsat(text, node.data.scale);
    if (score === null) {
      if (retries >= RATING_RETRIES) return { kind: 'follow', handle: 'noAnswer', output: { invalid: text } };
      const again = node.data.retryPrompt ? renderTemplate(node.data.retryPrompt, rt.variables) : `Sorry, that is not a rating I understand. ${renderTemplate(node.data.question, rt.variables)}`;
      await askRating(node, rt, again);
      return { kind: 'await', retries: retries + 1, output: { invalid: text } };
    }
    rt.variables[node.data.variable] = score;
    if (rt.conversationId) {
      await rt.activities.call(node.id, 'recordCsat', {
        ...conversationRef(rt),
        key: rt.key(node.id),
        nodeId: node.id,
        scale: node.data.scale,
        score,
        answer: text,
        final: !node.data.followUp,
      });
    }
    if (!node.data.followUp) return rated(node, score);
    await rt.say(node.id, renderTemplate(node.data.followUp, rt.variables), 'template');
    return { kind: 'await', retries: AWAITING_COMMENT, output: { [node.data.variable]: score } };
  },

  async timeout(node, rt, retries) {
    if (retries >= AWAITING_COMMENT) return complete(node, rt, null);
    return { kind: 'follow', handle: 'noAnswer' };
  },

  inputTimeoutMs: (node) => node.data.timeoutSeconds * 1000,
};

/** The question with the rating's buttons / list / stars, or with how to answer on a text-only channel. */
async function askRating(node: Csat, rt: FlowRuntime, text: string): Promise<void> {
  const interactive = csatInteractive(node.data.scale, rt.channel);
  const instruction = node.data.instruction ? renderTemplate(node.data.instruction, rt.variables) : CSAT_DEFAULT_INSTRUCTION[node.data.scale];
  const body = csatTextOnly(rt.channel) ? `${text}\n\n${instruction}` : text;
  await rt.say(node.id, body, 'template', undefined, undefined, interactive ? { interactive } : undefined);
}

/** The follow-up answered (or not in time): the stored response gets its comment and is announced. */
async function complete(node: Csat, rt: FlowRuntime, comment: string | null): Promise<Outcome> {
  const score = Number(rt.variables[node.data.variable]);
  if (comment !== null) rt.variables[node.data.commentVariable] = comment;
  if (rt.conversationId) await rt.activities.call(node.id, 'completeCsat', { ...conversationRef(rt), nodeId: node.id, comment });
  return rated(node, score, comment);
}

const rated = (node: Csat, score: number, comment?: string | null): Outcome => ({
  kind: 'follow',
  handle: csatSatisfied(score) ? 'satisfied' : 'unsatisfied',
  output: { [node.data.variable]: score, ...(comment ? { [node.data.commentVariable]: comment } : {}) },
});

function conversationRef(rt: FlowRuntime) {
  return { tenantId: rt.tenantId, conversationId: rt.conversationId!, workflowId: rt.workflowId, channel: rt.channel ?? 'api' };
}
