/**
 * The presence grader's vocabulary (ARCHITECTURE "Presence grader: checks and scoring"): what a
 * check found, how a category and the whole audit score, what an audit report holds. Declared
 * once as zod schemas: the API answers them (core/api/presence.ts), the console infers its types
 * from them, the workflow and its activities pass them along.
 */
import { z } from 'zod';

/**
 * The categories an audit scores (each 0–100, weighted into the overall score by
 * core/presence/rubric.ts `CATEGORY_WEIGHTS`):
 * - `website`: the site as a server answers it (HTTPS, certificate, redirects, speed, weight, broken links, favicon, analytics)
 * - `discoverability`: what search engines and link previews read (title, description, Open Graph, sitemap, robots)
 * - `structuredData`: schema.org Restaurant/LocalBusiness JSON-LD and its fields
 * - `content`: what a guest comes for (a text menu, links to order and to reserve, a mobile viewport)
 * - `accessibility`: alt text, headings, contrast where measurable, the page's language
 * - `listings`: the business on Google, Yelp, Facebook (provider adapters)
 * - `consistency`: name, address, phone and hours the same everywhere
 * - `reviews`: ratings and review counts the listings report
 */
export const PRESENCE_CATEGORIES = ['website', 'discoverability', 'structuredData', 'content', 'accessibility', 'listings', 'consistency', 'reviews'] as const;
export const presenceCategory = z.enum(PRESENCE_CATEGORIES);
export type PresenceCategory = z.infer<typeof presenceCategory>;

export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'skipped'] as const;
export const checkStatus = z.enum(CHECK_STATUSES);
export type CheckStatus = z.infer<typeof checkStatus>;

export const IMPACTS = ['high', 'medium', 'low'] as const;
export const EFFORTS = ['low', 'medium', 'high'] as const;
export type Impact = (typeof IMPACTS)[number];
export type Effort = (typeof EFFORTS)[number];

/** What to do about a check that lost points: a concrete action, and a snippet to paste where there is one. */
export const checkRecommendation = z.object({
  title: z.string(),
  action: z.string(),
  /** Ready to paste (a JSON-LD block, a meta tag, a robots.txt line), built from what the audit found. */
  snippet: z.string().optional(),
  snippetLanguage: z.enum(['html', 'json', 'text']).optional(),
});
export type CheckRecommendation = z.infer<typeof checkRecommendation>;

/** One piece of evidence: what was looked at and what it said (a URL, a header, a count, a measured time). */
export const evidenceItem = z.object({ label: z.string(), value: z.string() });
export type EvidenceItem = z.infer<typeof evidenceItem>;

export const checkResult = z.object({
  /** Stable id (`https`, `jsonld.openingHours`…): the rubric's key (core/presence/rubric.ts). */
  id: z.string(),
  category: presenceCategory,
  label: z.string(),
  status: checkStatus,
  /** Points earned, 0..maxPoints (a skipped check has 0 of 0: it counts neither way). */
  points: z.number(),
  maxPoints: z.number(),
  /** What was measured or read, so every point earned or lost can be traced. */
  evidence: z.array(evidenceItem),
  /** True when the result is inferred (read from the page's markup, guessed from names) rather than measured directly. */
  inferred: z.boolean(),
  /** One sentence: why this status. */
  summary: z.string(),
  recommendation: checkRecommendation.optional(),
});
export type CheckResult = z.infer<typeof checkResult>;

export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
export const grade = z.enum(GRADES);
export type Grade = z.infer<typeof grade>;

export const categoryScore = z.object({
  category: presenceCategory,
  /** 0–100; null when nothing in the category could be measured (left out of the overall score). */
  score: z.number().int().min(0).max(100).nullable(),
  earned: z.number(),
  max: z.number(),
  weight: z.number(),
  checks: z.number().int(),
});
export type CategoryScore = z.infer<typeof categoryScore>;

export const rankedRecommendation = checkRecommendation.extend({
  checkId: z.string(),
  category: presenceCategory,
  impact: z.enum(IMPACTS),
  effort: z.enum(EFFORTS),
  /** Overall points (0–100 scale) the report would gain if the check passed. */
  gain: z.number(),
  /** The action rewritten by the model in the tenant's brand voice; absent when no model or voice was used. */
  rewritten: z.string().optional(),
});
export type RankedRecommendation = z.infer<typeof rankedRecommendation>;

/** A business's name, address, phone and hours as one source states them (the site's JSON-LD, a listing). */
export const businessFacts = z.object({
  source: z.string(),
  name: z.string().optional(),
  address: z.string().optional(),
  phone: z.string().optional(),
  /** schema.org-style: `{days: ['Mo','Tu'], opens: '11:00', closes: '22:00'}`. */
  hours: z.array(z.object({ days: z.array(z.string()), opens: z.string(), closes: z.string() })).optional(),
  url: z.string().optional(),
  rating: z.number().optional(),
  reviewCount: z.number().int().optional(),
});
export type BusinessFacts = z.infer<typeof businessFacts>;

export const auditReport = z.object({
  url: z.string(),
  /** The URL the site finally answered from (after redirects), when it answered. */
  finalUrl: z.string().nullable(),
  overall: z.number().int().min(0).max(100),
  grade,
  categories: z.array(categoryScore),
  checks: z.array(checkResult),
  recommendations: z.array(rankedRecommendation),
  /** Where the facts came from: `website`, `jsonld`, `google`, `yelp`… */
  sources: z.array(z.string()),
  facts: z.array(businessFacts),
  /** What could not be measured and why (no provider key, a module that timed out). */
  notes: z.array(z.string()),
  /** How the recommendations were worded: plain text, or the model in a brand voice (and which). */
  wording: z.object({ by: z.enum(['plain', 'model']), brandVoiceId: z.string().nullable(), note: z.string().nullable() }),
  rubricVersion: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().int(),
});
export type AuditReport = z.infer<typeof auditReport>;

/** Profile URLs or ids the owner gives (all optional): the listing providers read them. */
export const presenceProfiles = z.object({
  google: z.string().trim().min(1).max(500).optional(),
  yelp: z.string().trim().min(1).max(500).optional(),
  facebook: z.string().trim().min(1).max(500).optional(),
  instagram: z.string().trim().min(1).max(500).optional(),
  delivery: z.array(z.string().trim().min(1).max(500)).max(5).optional(),
});
export type PresenceProfiles = z.infer<typeof presenceProfiles>;

/** A check module's state while an audit runs (the progress query, the runs page). */
export const MODULE_STATES = ['pending', 'running', 'done', 'failed'] as const;
export const moduleProgress = z.object({
  id: z.string(),
  status: z.enum(MODULE_STATES),
  checks: z.number().int(),
  error: z.string().nullable(),
});
export type ModuleProgress = z.infer<typeof moduleProgress>;

export const AUDIT_STAGES = ['queued', 'checking', 'scoring', 'completed', 'failed'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];
export const auditProgress = z.object({
  stage: z.enum(AUDIT_STAGES),
  modules: z.array(moduleProgress),
  done: z.number().int(),
  total: z.number().int(),
  error: z.string().nullable(),
});
export type AuditProgress = z.infer<typeof auditProgress>;
