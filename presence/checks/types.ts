/**
 * The check-module interface. A module answers a group of checks (each a line of the rubric,
 * core/presence/rubric.ts) from one kind of source: the site's transport, its page, its
 * structured data, a listing provider… It runs as one activity with its own deadline; a module
 * that throws or runs out of time has its `checks` reported as not measured, with the reason.
 */
import type { Config } from '../../core/config';
import type { BusinessFacts, CheckResult, PresenceProfiles } from '../../core/presence/types';
import type { SiteReader } from '../site';

export interface CheckContext {
  tenantId: string;
  auditId: string;
  /** The website as the API normalized it. */
  url: string;
  profiles: PresenceProfiles;
  /** Facts found by the modules of earlier phases (the site's JSON-LD, listings). */
  facts: BusinessFacts[];
  /** The site through the guarded HTTP client, answers shared by the audit's modules. */
  site: SiteReader;
  config: Config;
  /** Aborted when the module's deadline passes. */
  signal: AbortSignal;
}

export interface ModuleResult {
  checks: CheckResult[];
  facts?: BusinessFacts[];
  /** What could not be measured, and why (shown in the report). */
  notes?: string[];
  /** Sources read (`website`, `jsonld`, `google`…). */
  sources?: string[];
  /** The URL the site answered from after redirects (the module that loads the homepage). */
  finalUrl?: string | null;
}

export interface CheckModule {
  id: string;
  /** Modules of a later phase run after those of earlier ones and see their facts (1: sources, 2: comparisons). */
  phase: number;
  /** The rubric ids this module answers, so a module that could not run is reported check by check. */
  checks: readonly string[];
  /** The module's whole deadline (default MODULE_TIMEOUT_MS). */
  timeoutMs?: number;
  run(ctx: CheckContext): Promise<ModuleResult>;
}

export const MODULE_TIMEOUT_MS = 25_000;
