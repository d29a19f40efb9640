/** The `presenceAudit` workflow's activities (activities/presence/): signatures shared with the workflow. */
import type { BusinessFacts, CheckResult, Grade, PresenceProfiles } from '../../core/presence/types';

export interface PresenceAuditRef {
  tenantId: string;
  auditId: string;
}

/** What one check module found: its checks, the business facts it read (for later phases), notes on what it could not measure. */
export interface PresenceModuleOutput {
  checks: CheckResult[];
  facts: BusinessFacts[];
  notes: string[];
  sources: string[];
  /** The URL the site answered from after redirects (the module that loaded the homepage says it). */
  finalUrl?: string | null;
}

/** A module's outcome as the workflow saw it: its output, or why it could not run (a timeout, a crash). */
export interface PresenceModuleOutcome {
  id: string;
  status: 'done' | 'failed';
  output: PresenceModuleOutput | null;
  error: string | null;
}

export interface PresenceAuditActivities {
  /** The row says `checking`; answers the registered check modules with their phase (later phases see earlier facts). */
  planPresenceAudit(input: PresenceAuditRef): Promise<{ modules: { id: string; phase: number }[]; startedAt: string }>;
  /**
   * Runs a phase's check modules in parallel against the site (and profiles), each within its own
   * deadline, through the guarded HTTP client; each module's end is written to the row's live
   * progress as it happens. A module that fails or runs out of time is an outcome (failed, why), not an error.
   */
  runPresenceModules(input: PresenceAuditRef & { modules: string[]; url: string; profiles: PresenceProfiles; facts: BusinessFacts[] }): Promise<PresenceModuleOutcome[]>;
  /** Scores the checks with the rubric, ranks the recommendations (rewritten in the brand voice when asked and a model is there), stores the report. */
  finishPresenceAudit(input: PresenceAuditRef & { url: string; brandVoiceId: string | null; startedAt: string; outcomes: PresenceModuleOutcome[] }): Promise<{ overall: number; grade: Grade }>;
  /** The row becomes failed with the reason. */
  failPresenceAudit(input: PresenceAuditRef & { reason: string }): Promise<void>;
}
