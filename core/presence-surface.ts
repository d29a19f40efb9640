/**
 * The presence grader's surface: scheduled re-audits, share links, and the public lead-generation
 * grader page (its settings, the form it posts, its limits). The audit itself, its report and its
 * checks are core/presence/.
 */
import { z } from 'zod';
import { text } from './api/common';
import { websiteUrl } from './api/presence';
import type { AuditReport, CheckStatus, PresenceCategory } from './presence/types';

const profile = text().trim().min(1).max(500).optional();

/** What an audit is told besides the site: profile ids or URLs of the listings. */
export const presenceProfilesSchema = z
  .object({ google: profile, yelp: profile, facebook: profile })
  .strict();

export const PRESENCE_CADENCES = ['weekly', 'monthly'] as const;
export type PresenceCadence = (typeof PRESENCE_CADENCES)[number];

export const presenceScheduleSchema = z
  .object({
    enabled: z.boolean(),
    cadence: z.enum(PRESENCE_CADENCES),
    /** As the audits API reads it (`example.com` is `https://example.com/`). */
    websiteUrl,
    profiles: presenceProfilesSchema.default({}),
  })
  .strict();
export type PresenceScheduleSettings = z.infer<typeof presenceScheduleSchema>;
/** The stored setting as the API answers it (the URL already normalized). */
export const presenceScheduleStored = z.object({ enabled: z.boolean(), cadence: z.enum(PRESENCE_CADENCES), websiteUrl: z.string(), profiles: presenceProfilesSchema });

/** Share links: the console makes and revokes them; the token opens a read-only report without login. */
export const shareLinkSchema = z.object({ id: z.string(), auditId: z.string(), url: z.string(), pdfUrl: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() });
export const shareTokenParams = z.object({ token: text().regex(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/, 'token is not a share token') });

/** The public grader page (`/grader/:slug`): off until an admin turns it on. */
export const publicGraderSettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    title: text().trim().min(1).max(80).default('How findable is your business online?'),
    intro: text().trim().max(500).default('Enter your website and get a free report on your website, listings and reviews by email.'),
    /** The consent sentence the visitor ticks; stored with the consent as its source. */
    consentText: text().trim().min(1).max(300).default('Email me the report and occasional marketing tips. I can unsubscribe at any time.'),
  })
  .strict();
export type PublicGraderSettings = z.infer<typeof publicGraderSettingsSchema>;

export const publicGraderBody = z
  .object({
    websiteUrl,
    email: z.email({ message: 'email must be an email address' }).max(254),
    name: text().trim().max(120).optional(),
    consent: z.literal(true, { message: 'consent must be given to receive the report' }),
    /** Signed when the form was served (timing check); see api/services/grader-abuse.ts. */
    formToken: text().max(200),
    /** The honeypot: a field people never see and bots fill in. */
    company: text().max(200).optional(),
  })
  .strict();

/**
 * Limits of the public grader (fixed windows in Redis). An audit costs outbound requests to a third
 * party's site and provider quota, so the limits are per visitor, per audited site and per email.
 */
export const PUBLIC_GRADER_LIMITS = {
  perIp: { max: 5, windowSeconds: 3600 },
  perSite: { max: 3, windowSeconds: 86_400 },
  perEmail: { max: 3, windowSeconds: 86_400 },
  perTenant: { max: 200, windowSeconds: 86_400 },
  reads: { max: 120, windowSeconds: 60 },
};
/** A form submitted sooner than this after it was served was not filled in by a person; later than the max, the page is stale. */
export const GRADER_FORM_MIN_SECONDS = 3;
export const GRADER_FORM_MAX_SECONDS = 3600;

/** How the report pages name the categories (core/presence/types.ts lists and weighs them). */
export const CATEGORY_LABELS: Record<PresenceCategory, string> = {
  website: 'Website',
  discoverability: 'Search and sharing',
  structuredData: 'Structured data',
  content: 'Content',
  accessibility: 'Accessibility',
  listings: 'Listings',
  consistency: 'Consistency',
  reviews: 'Reviews',
};

/**
 * A report as the share page, the mail and the PDF print it: flattened from the stored report
 * (categories with nothing measured left out, evidence as one line, the brand-voice wording of a
 * recommendation where there is one).
 */
export interface ReportView {
  businessName: string | null;
  site: string;
  finishedAt: string;
  score: number;
  grade: string;
  categories: { id: string; label: string; score: number }[];
  checks: { id: string; category: string; label: string; status: CheckStatus; points: number; maxPoints: number; evidence: string; inferred: boolean }[];
  recommendations: { title: string; action: string; snippet?: string; impact: string; effort: string }[];
  sources: string[];
  notes: string[];
}

export function reportViewOf(r: AuditReport, opts: { businessName: string | null }): ReportView {
  const name = opts.businessName ?? r.facts.find((f) => f.name)?.name ?? null;
  return {
    businessName: name,
    site: r.finalUrl ?? r.url,
    finishedAt: r.finishedAt,
    score: r.overall,
    grade: r.grade,
    categories: r.categories.flatMap((c) => (c.score === null ? [] : [{ id: c.category, label: CATEGORY_LABELS[c.category], score: c.score }])),
    checks: r.checks.map((c) => ({
      id: c.id,
      category: c.category,
      label: c.label,
      status: c.status,
      points: Math.round(c.points * 10) / 10,
      maxPoints: c.maxPoints,
      evidence: [c.summary, ...c.evidence.map((e) => `${e.label}: ${e.value}`)].filter(Boolean).join(' · '),
      inferred: c.inferred,
    })),
    recommendations: r.recommendations.map((x) => ({ title: x.title, action: x.rewritten ?? x.action, ...(x.snippet ? { snippet: x.snippet } : {}), impact: x.impact, effort: x.effort })),
    sources: r.sources,
    notes: r.notes,
  };
}

/** What changed from one audit to a later one: the score, each category, and every check whose status or points moved. */
export interface ReportChanges {
  overall: { from: number; to: number; delta: number };
  grade: { from: string; to: string };
  categories: { category: PresenceCategory; label: string; from: number | null; to: number | null }[];
  checks: { id: string; label: string; from: CheckStatus | null; to: CheckStatus | null; pointsFrom: number; pointsTo: number }[];
}

export function compareReports(before: AuditReport, after: AuditReport): ReportChanges {
  const prev = new Map(before.checks.map((c) => [c.id, c]));
  const next = new Map(after.checks.map((c) => [c.id, c]));
  const ids = [...new Set([...prev.keys(), ...next.keys()])];
  return {
    overall: { from: before.overall, to: after.overall, delta: after.overall - before.overall },
    grade: { from: before.grade, to: after.grade },
    categories: after.categories.map((c) => ({ category: c.category, label: CATEGORY_LABELS[c.category], from: before.categories.find((b) => b.category === c.category)?.score ?? null, to: c.score })).filter((c) => c.from !== c.to),
    checks: ids
      .map((id) => {
        const a = prev.get(id);
        const b = next.get(id);
        return { id, label: (b ?? a)!.label, from: a?.status ?? null, to: b?.status ?? null, pointsFrom: a?.points ?? 0, pointsTo: b?.points ?? 0 };
      })
      .filter((c) => c.from !== c.to || c.pointsFrom !== c.pointsTo)
      .sort((x, y) => Math.abs(y.pointsTo - y.pointsFrom) - Math.abs(x.pointsTo - x.pointsFrom) || x.id.localeCompare(y.id)),
  };
}
