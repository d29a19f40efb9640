/**
 * The assistant's answer without a model: the question is matched to a tool by the offline rules
 * (core/assistant/offline-rules.ts), the tool runs, and its summary is the answer, citing the tool
 * result. What no rule matches, and the judgement part of a "why" question, is said to need a
 * model, with the list of what can be asked instead. Nothing is made up.
 */
import { matchOfflineQuestion, OFFLINE_RULES } from '../core/assistant/offline-rules';
import type { AssistantSource } from '../core/assistant/tools';
import { hasModel } from './store';
import { runAssistantTool, type AssistantDeps } from './tools';

export const NO_MODEL_LEAD = 'No language model is configured, so I answer only what my tools can answer directly.';
export const OVER_QUOTA_LEAD = 'This month’s language-model allowance is used up, so until it renews I answer only what my tools can answer directly.';
export const NEEDS_MODEL = 'Explaining why, or advising what to do, needs a language model; these are the figures to judge by.';

export const canAnswerList = () => OFFLINE_RULES.map((r) => `- ${r.example}`).join('\n');

export interface OfflineAnswer {
  text: string;
  sources: AssistantSource[];
  /** The rule that matched, or null (nothing did). */
  rule: string | null;
}

export async function answerOffline(deps: AssistantDeps, tenantId: string, question: string, now: Date = new Date()): Promise<OfflineAnswer> {
  const match = matchOfflineQuestion(question);
  // A tenant with a model is offline only while its month's LLM tokens are used up.
  const lead = async () => ((await hasModel(deps.orm, tenantId)) ? OVER_QUOTA_LEAD : NO_MODEL_LEAD);
  if (!match) {
    return { text: `${await lead()} That question needs a model. Without one, I can answer:\n${canAnswerList()}`, sources: [], rule: null };
  }
  const outcome = await runAssistantTool(deps, tenantId, match.tool, match.args, now);
  if (!outcome.source) return { text: `${await lead()} ${outcome.summary.charAt(0).toUpperCase()}${outcome.summary.slice(1)}.`, sources: [], rule: match.rule };
  return { text: [outcome.summary, ...(match.needsModel ? [NEEDS_MODEL] : [])].join('\n\n'), sources: [outcome.source], rule: match.rule };
}
