/** Runs an audit's check modules in-process, phase by phase as the workflow does, and builds its report: the scoring tests need no Temporal. */
import { randomUUID } from 'node:crypto';
import type { Config } from '../../core/config';
import type { AuditReport, CheckResult } from '../../core/presence/types';
import { CHECK_MODULES } from '../../presence/checks';
import { buildReport, type ModuleOutcomeLike } from '../../presence/report';
import { siteReader } from '../../presence/site';

export async function auditDirect(config: Config, url: string): Promise<AuditReport> {
  const auditId = randomUUID();
  const startedAt = new Date().toISOString();
  const outcomes = new Map<string, ModuleOutcomeLike>();
  for (const phase of [...new Set(CHECK_MODULES.map((m) => m.phase))].sort()) {
    const facts = [...outcomes.values()].flatMap((o) => o.output?.facts ?? []);
    await Promise.all(
      CHECK_MODULES.filter((m) => m.phase === phase).map(async (m) => {
        const result = await m.run({ tenantId: 't', auditId, url, profiles: {}, facts, site: siteReader(config, auditId, url), config, signal: new AbortController().signal });
        outcomes.set(m.id, { id: m.id, status: 'done', output: { checks: result.checks, facts: result.facts ?? [], notes: result.notes ?? [], sources: result.sources ?? [], finalUrl: result.finalUrl ?? null }, error: null });
      }),
    );
  }
  return buildReport({ url, startedAt, outcomes: CHECK_MODULES.map((m) => outcomes.get(m.id)!) });
}

/** check id → status, for whole-report comparisons. */
export const statuses = (report: AuditReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
export const check = (report: AuditReport, id: string): CheckResult => report.checks.find((c) => c.id === id)!;
export const categoryScores = (report: AuditReport) => Object.fromEntries(report.categories.filter((c) => c.score !== null).map((c) => [c.category, c.score]));
