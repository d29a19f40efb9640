/** The `presenceAudit` workflow's activities over presence/ (checks through the guarded client, scoring, the row). */
import { ApplicationFailure } from '@temporalio/common';
import { CHECK_MODULES, checkModule } from '../../presence/checks';
import { MODULE_TIMEOUT_MS, type CheckModule } from '../../presence/checks/types';
import { buildReport, rewordReport } from '../../presence/report';
import { siteReader } from '../../presence/site';
import { presenceStore } from '../../presence/store';
import type { ActivityDeps } from '../deps';
import type { PresenceAuditActivities, PresenceModuleOutcome } from './types';

/** Runs a module within its deadline; its failure or lateness is the outcome's reason. */
async function runWithin(mod: CheckModule, ctx: Omit<Parameters<CheckModule['run']>[0], 'signal'>): Promise<PresenceModuleOutcome> {
  const ms = mod.timeoutMs ?? MODULE_TIMEOUT_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`the ${mod.id} checks did not finish within ${ms / 1000} s`));
    }, ms);
  });
  try {
    const result = await Promise.race([mod.run({ ...ctx, signal: controller.signal }), late]);
    return { id: mod.id, status: 'done', output: { checks: result.checks, facts: result.facts ?? [], notes: result.notes ?? [], sources: result.sources ?? [], finalUrl: result.finalUrl ?? null }, error: null };
  } catch (err) {
    return { id: mod.id, status: 'failed', output: null, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function presenceActivities(deps: ActivityDeps): PresenceAuditActivities {
  const store = presenceStore(deps.orm);
  return {
    async planPresenceAudit({ tenantId, auditId }) {
      await store.setStage(tenantId, auditId, 'checking');
      return { modules: CHECK_MODULES.map((m) => ({ id: m.id, phase: m.phase })), startedAt: new Date().toISOString() };
    },

    async runPresenceModules({ tenantId, auditId, modules, url, profiles, facts }) {
      const unknown = modules.find((id) => !checkModule(id));
      if (unknown) throw ApplicationFailure.nonRetryable(`no check module ${unknown}`, 'not_found');
      const site = siteReader(deps.config, auditId, url);
      return Promise.all(
        modules.map(async (id) => {
          const outcome = await runWithin(checkModule(id)!, { tenantId, auditId, url, profiles, facts, site, config: deps.config });
          // The live view between the workflow's phase boundaries; a lost write costs only that.
          await store.moduleEnded(tenantId, auditId, outcome.id, { status: outcome.status, checks: outcome.output?.checks.length ?? 0, error: outcome.error }).catch(() => undefined);
          return outcome;
        }),
      );
    },

    async finishPresenceAudit({ tenantId, auditId, url, brandVoiceId, startedAt, outcomes }) {
      let report = buildReport({ url, startedAt, outcomes });
      if (brandVoiceId) report = await rewordReport({ orm: deps.orm, config: deps.config, redis: deps.redis }, tenantId, brandVoiceId, report);
      await store.complete(tenantId, auditId, report);
      return { overall: report.overall, grade: report.grade };
    },

    async failPresenceAudit({ tenantId, auditId, reason }) {
      await store.fail(tenantId, auditId, reason);
    },
  };
}
