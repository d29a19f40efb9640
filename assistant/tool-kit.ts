/** What every assistant tool shares: its shape, argument readers, and the period in the tenant's timezone. */
import { localDate, resolvePeriod, type Period, type PeriodName } from '../core/assistant/period';
import type { AssistantSource } from '../core/assistant/tools';
import type { ContentDeps } from '../campaigns/content/store';
import { tenantClock } from './store';

export type AssistantDeps = ContentDeps;

export interface ToolOutcome {
  /** JSON for the model, or `error: …`. */
  content: string;
  source?: AssistantSource;
  /** The result in sentences (the offline answer). */
  summary: string;
}

/** What a tool gives back; the source's id is added by runAssistantTool. */
export type Outcome = Omit<ToolOutcome, 'source'> & { source?: Omit<AssistantSource, 'documentId'> };

export type Args = Record<string, unknown>;
export type Tool = (deps: AssistantDeps, tenantId: string, args: Args, now: Date) => Promise<Outcome>;

export const failed = (message: string): { content: string; summary: string } => ({ content: `error: ${message}`, summary: message });
export const str = (args: Args, key: string) => (typeof args[key] === 'string' && (args[key] as string).trim() ? (args[key] as string).trim() : undefined);
export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The period the arguments name, in the tenant's timezone (its local today). */
export async function periodOf(deps: AssistantDeps, tenantId: string, args: Args, now: Date, fallback?: PeriodName): Promise<{ period: Period; timezone: string } | { error: string }> {
  const { timezone } = await tenantClock(deps.orm, tenantId);
  const period = resolvePeriod(args, localDate(timezone, now), fallback);
  return 'error' in period ? period : { period, timezone };
}

/** Words of a name or a question, for matching what the owner wrote to a record's name. */
const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2);

/** The record named in the owner's words: its whole name in the question, else every word of it. */
export function mentionedIn<T extends { name: string }>(records: readonly T[], question: string): T | undefined {
  const q = question.toLowerCase();
  const qWords = new Set(words(q));
  return records.find((r) => q.includes(r.name.toLowerCase())) ?? records.find((r) => words(r.name).length > 0 && words(r.name).every((w) => qWords.has(w)));
}
