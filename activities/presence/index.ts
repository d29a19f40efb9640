/** The `presenceAudit` workflow's activities over presence/ (checks through the guarded client, scoring, the row). */
import { ApplicationFailure } from '@temporalio/common';
import { CHECK_MODULES, checkModule } from '../../presence/checks';
import { MODULE_TIMEOUT_MS } from '../../presence/checks/types';
import { buildReport, rewordReport } from '../../presence/report';
import { siteReader } from '../../presence/site';
import { presenceStore } from '../../presence/store';
import type { ActivityDeps } from '../deps';
import type { PresenceAuditActivities } from './types';

class ModuleTimeoutError extends Error {
  constructor(id: string, ms: number) {
    super(`the ${id} checks did not finish within ${ms / 1000} s`);
    this.name = 'ModuleTimeoutError';
  }
}

export function presenceActivities(deps: ActivityDeps): PresenceAuditActivities {
  const store = presenceStore(deps.orm);
  return {
    async planPresenceAudit({ tenantId, auditId }) {
      await store.setStage(tenantId, auditId, 'checking');
      return { modules: CHECK_MODULES.map((m) => ({ id: m.id, phase: m.phase })), startedAt: new Date().toISOString() };
    },

    async runPresenceModule({ tenantId, auditId, module, url, profiles, facts }) {
      const mod = checkModule(module);
      if (!mod) throw ApplicationFailure.nonRetryable(`no check module ${module}`, 'not_found');
      const ms = mod.timeoutMs ?? MODULE_TIMEOUT_MS;
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new ModuleTimeoutError(module, ms));
        }, ms);
      });
      try {
        const result = await Promise.race([mod.run({ tenantId, auditId, url, profiles, facts, site: siteReader(deps.config, auditId, url), config: deps.config, signal: controller.signal }), deadline]);
        return { checks: result.checks, facts: result.facts ?? [], notes: result.notes ?? [], sources: result.sources ?? [], finalUrl: result.finalUrl ?? null };
      } catch (err) {
        // Out of time is an answer (not measured), not something a retry would change.
        if (err instanceof ModuleTimeoutError) throw ApplicationFailure.nonRetryable(err.message, 'presence_timeout');
        throw err;
      } finally {
        clearTimeout(timer);
      }
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
