/**
 * The extractive fold of a conversation's context: what the summary is when no model writes it
 * (no model configured, the month's tokens used up).
 */
import type { ChatMessage } from './chat';

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
