/**
 * `presenceAudit`: one audit of a business's web presence (ARCHITECTURE "Presence grader: checks
 * and scoring"). plan (which check modules, in which phase) → each phase's modules in parallel
 * inside one activity, each module with its own deadline (website transport, page, structured
 * data, content, links, crawl files, accessibility, and the listing modules; consistency in phase
 * 2) → score with the rubric, rank and optionally reword the recommendations, store the report.
 * One activity a phase, not one a module: an audit is then about five tasks for the Temporal
 * server instead of about twenty (ARCHITECTURE, "Presence grader: checks and scoring").
 *
 * A module that fails or times out does not fail the audit: its checks are reported as not
 * measured, with the reason. The `progress` query answers each module's state at the phase
 * boundaries; between them the activity writes each module's end to the row, and the API merges
 * the two. Activities are tagged `@plan`, `@phase1`, `@score` so the run page groups the history.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyLocalActivities, setHandler, type LocalActivityOptions } from '@temporalio/workflow';
import type { PresenceModuleOutcome } from '../activities/presence/types';
import type { SwitchboardActivities } from '../activities/types';
import { activityTag, localActivitySummary } from '../core/activity-tags';
import type { AuditProgress, AuditStage, ModuleProgress } from '../core/presence/types';
import { ACTIVITY_OPTIONS, ActivityCaller } from './flow/activities';
import { failureReason } from './ingestDocument';
import { presenceAuditProgressQuery, type PresenceAuditInput, type PresenceAuditResult } from './messages';
import { setRunAttributes } from './runtime/search-attributes';

/**
 * The plan is one short row update, and scoring without a brand voice is arithmetic and one row
 * update: local activities, inside a workflow task, with no task of their own for the server.
 * Scoring with a brand voice calls the model (seconds, with retries): a normal activity then.
 */
const { planPresenceAudit } = proxyLocalActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.planPresenceAudit as LocalActivityOptions);
const { finishPresenceAudit: finishLocally } = proxyLocalActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.finishPresenceAudit as LocalActivityOptions);

export async function presenceAudit(input: PresenceAuditInput): Promise<PresenceAuditResult> {
  setRunAttributes({ TenantId: input.tenantId });
  const acts = new ActivityCaller();
  const ref = { tenantId: input.tenantId, auditId: input.auditId };
  let modules: ModuleProgress[] = [];
  let stage: AuditStage = 'queued';
  let error: string | null = null;
  const progress = (): AuditProgress => ({ stage, modules, done: modules.filter((m) => m.status === 'done' || m.status === 'failed').length, total: modules.length, error });
  setHandler(presenceAuditProgressQuery, progress);
  const toStage = (next: AuditStage) => {
    stage = next;
    setRunAttributes({ Stage: next });
  };
  const mark = (id: string, patch: Partial<ModuleProgress>) => {
    modules = modules.map((m) => (m.id === id ? { ...m, ...patch } : m));
  };

  try {
    const plan = await planPresenceAudit.executeWithOptions({ summary: localActivitySummary('planPresenceAudit', activityTag('@plan', 0)) }, [ref]);
    modules = plan.modules.map((m) => ({ id: m.id, status: 'pending', checks: 0, error: null }));
    toStage('checking');
    const outcomes = new Map<string, PresenceModuleOutcome>();
    const phases = [...new Set(plan.modules.map((m) => m.phase))].sort((a, b) => a - b);
    for (const phase of phases) {
      // Later phases (consistency) read the facts the earlier ones found.
      const facts = [...outcomes.values()].flatMap((o) => o.output?.facts ?? []);
      const ids = plan.modules.filter((m) => m.phase === phase).map((m) => m.id);
      ids.forEach((id) => mark(id, { status: 'running' }));
      try {
        for (const outcome of await acts.call(`@phase${phase}`, 'runPresenceModules', { ...ref, modules: ids, url: input.url, profiles: input.profiles, facts })) {
          outcomes.set(outcome.id, outcome);
          mark(outcome.id, { status: outcome.status, checks: outcome.output?.checks.length ?? 0, error: outcome.error });
        }
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const reason = failureReason(err);
        for (const id of ids) {
          outcomes.set(id, { id, status: 'failed', output: null, error: reason });
          mark(id, { status: 'failed', error: reason });
        }
      }
    }
    toStage('scoring');
    const ordered = plan.modules.map((m) => outcomes.get(m.id)!);
    const finish = { ...ref, url: input.url, brandVoiceId: input.brandVoiceId, startedAt: plan.startedAt, outcomes: ordered };
    const scored = input.brandVoiceId
      ? await acts.call('@score', 'finishPresenceAudit', finish)
      : await finishLocally.executeWithOptions({ summary: localActivitySummary('finishPresenceAudit', activityTag('@score', 0)) }, [finish]);
    toStage('completed');
    return { status: 'completed', overall: scored.overall, grade: scored.grade, error: null };
  } catch (err) {
    const canceled = isCancellation(err);
    if (!canceled && !(err instanceof ActivityFailure) && !(err instanceof ApplicationFailure)) throw err;
    error = canceled ? 'The audit was cancelled.' : err instanceof ActivityFailure ? failureReason(err) : (err as Error).message;
    await CancellationScope.nonCancellable(() => acts.call('@fail', 'failPresenceAudit', { ...ref, reason: error! }));
    toStage('failed');
    if (canceled) throw err;
    return { status: 'failed', overall: null, grade: null, error };
  }
}
