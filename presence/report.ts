/**
 * From module outcomes to a report: the checks of modules that could not run are reported as not
 * measured (skipped, with the reason, counted neither way), scored with the rubric, the
 * recommendations ranked; then, when the audit names a brand voice, the top recommendations'
 * actions rewritten in it by the tenant's model (the content module's "try it" path). Without a
 * model the plain text stays and the report says why.
 */
import { checkResultOf, RUBRIC_VERSION, scoreReport } from '../core/presence/rubric';
import type { AuditReport, BusinessFacts, CheckResult } from '../core/presence/types';
import { tryBrandVoice } from '../campaigns/content/try-voice';
import type { ContentDeps } from '../campaigns/content/store';
import { TEMPLATE_WRITER } from '../campaigns/content/template-writer';
import { checkModule } from './checks';

export interface ModuleOutcomeLike {
  id: string;
  status: 'done' | 'failed';
  output: { checks: CheckResult[]; facts: BusinessFacts[]; notes: string[]; sources: string[]; finalUrl?: string | null } | null;
  error: string | null;
}

/** Recommendations rewritten in the brand voice (the rest keep their plain text). */
export const REWRITE_TOP = 5;

export function buildReport(input: { url: string; startedAt: string; outcomes: readonly ModuleOutcomeLike[]; now?: Date }): AuditReport {
  const checks: CheckResult[] = [];
  const notes: string[] = [];
  const facts: BusinessFacts[] = [];
  const sources = new Set<string>();
  let finalUrl: string | null = null;
  for (const outcome of input.outcomes) {
    if (outcome.status === 'done' && outcome.output) {
      checks.push(...outcome.output.checks);
      facts.push(...outcome.output.facts);
      notes.push(...outcome.output.notes);
      outcome.output.sources.forEach((s) => sources.add(s));
      finalUrl ??= outcome.output.finalUrl ?? null;
      continue;
    }
    const ids = checkModule(outcome.id)?.checks ?? [];
    notes.push(`The ${outcome.id} checks could not be measured: ${outcome.error ?? 'the module did not finish'}.`);
    for (const id of ids) checks.push(checkResultOf(id, { status: 'skipped', summary: `Not measured: ${outcome.error ?? 'the module did not finish'}.` }));
  }
  const scored = scoreReport(checks);
  const finishedAt = input.now ?? new Date();
  for (const c of scored.categories) if (c.score === null) notes.push(`${c.category}: nothing was measured, so it does not count in the overall score.`);
  return {
    url: input.url,
    finalUrl,
    ...scored,
    checks,
    sources: [...sources],
    facts,
    notes: [...new Set(notes)],
    wording: { by: 'plain', brandVoiceId: null, note: null },
    rubricVersion: RUBRIC_VERSION,
    startedAt: input.startedAt,
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.max(0, finishedAt.getTime() - Date.parse(input.startedAt)),
  };
}

/** The top recommendations' actions in the brand voice; without a model, the plain text and a note saying so. */
export async function rewordReport(deps: ContentDeps, tenantId: string, brandVoiceId: string, report: AuditReport): Promise<AuditReport> {
  const top = report.recommendations.slice(0, REWRITE_TOP);
  if (top.length === 0) return { ...report, wording: { by: 'plain', brandVoiceId, note: 'nothing to rewrite: no recommendations' } };
  let samples: Awaited<ReturnType<typeof tryBrandVoice>>[];
  try {
    samples = await Promise.all(top.map((r) => tryBrandVoice(deps, tenantId, brandVoiceId, { text: `${r.title}. ${r.action}` })));
  } catch (err) {
    // The audit is worth more than its wording: a voice deleted meanwhile or a model that fails keeps the plain text, and says why.
    return { ...report, wording: { by: 'plain', brandVoiceId, note: `the recommendations could not be reworded (${(err as Error).message}); they are in plain text` } };
  }
  if (samples[0]!.generatedBy === TEMPLATE_WRITER) {
    const why = samples[0]!.warnings[0] ?? 'no language model is configured';
    return { ...report, wording: { by: 'plain', brandVoiceId, note: `${why}; the recommendations are in plain text` } };
  }
  const recommendations = report.recommendations.map((r, i) => (i < samples.length && samples[i]!.sample ? { ...r, rewritten: samples[i]!.sample } : r));
  return { ...report, recommendations, wording: { by: 'model', brandVoiceId, note: `the top ${samples.length} recommendations rewritten by ${samples[0]!.generatedBy.replace(/^model:/, '')}` } };
}
