/**
 * What answers when a tenant has no language model configured. It never imitates one: the reply
 * says plainly that free-form questions cannot be answered, and summaries are extractive.
 */
import type { ChatMessage } from '../core/chat';

export const OFFLINE_REPLY =
  'No language model is configured for this assistant yet, so I cannot answer free-form questions. ' +
  'A team member can help you: ask for a human, or try again later.';

/** The offline answer while the tenant's LLM tokens for the month are used up (README "Quotas"). */
export const OVER_QUOTA_REPLY =
  'This assistant has used up its language-model allowance for this month, so I cannot answer free-form questions right now. ' +
  'A team member can help you: ask for a human, or try again later.';

const SUMMARY_CHARS = 1500;

export const messageLine = (m: ChatMessage) => `${m.role}: ${m.content ?? ''}`.replace(/\s+/g, ' ').trim();

/** Extractive fold: the previous summary plus the new lines, keeping the most recent ~1,500 characters on line boundaries. */
export function extractiveSummary(summary: string, messages: ChatMessage[]): string {
  const lines = [...summary.split('\n'), ...messages.filter((m) => m.content).map(messageLine)].filter(Boolean);
  const kept: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].length > SUMMARY_CHARS ? `…${lines[i].slice(-(SUMMARY_CHARS - 1))}` : lines[i];
    if (size + line.length + 1 > SUMMARY_CHARS) break;
    kept.unshift(line);
    size += line.length + 1;
  }
  return kept.join('\n');
}
