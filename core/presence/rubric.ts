/**
 * The presence grader's weighted rubric (ARCHITECTURE "Presence grader: checks and scoring"), the
 * one place points are defined. Every check has a line here (one line a check: a module that adds
 * checks adds its lines); a category's score is the share of its checks' points earned, the
 * overall score the weighted mean of the categories that had anything measured.
 *
 * Points: a pass earns the check's points, a warn half of them, a fail none; a skipped check (not
 * measurable: no provider key, nothing to measure) counts neither way and the report says why.
 */
import type { AuditReport, CategoryScore, CheckRecommendation, CheckResult, CheckStatus, Effort, EvidenceItem, Grade, Impact, PresenceCategory, RankedRecommendation } from './types';

/** Bumped when points or weights change, so stored reports say which rubric scored them. */
export const RUBRIC_VERSION = 1;

/** How much each category weighs in the overall score (categories with nothing measured drop out). */
export const CATEGORY_WEIGHTS: Readonly<Record<PresenceCategory, number>> = {
  website: 20,
  discoverability: 15,
  structuredData: 20,
  content: 15,
  accessibility: 10,
  listings: 10,
  consistency: 5,
  reviews: 5,
};

export interface RubricEntry {
  category: PresenceCategory;
  label: string;
  /** Points within its category (a category's points need not add up to 100: its score is a share). */
  points: number;
  /** What fixing it usually takes. */
  effort: Effort;
}

/** Check id → its line of the rubric. One line a check. */
export const RUBRIC: Readonly<Record<string, RubricEntry>> = {
  https: { category: 'website', label: 'Served over HTTPS', points: 15, effort: 'medium' },
  certificate: { category: 'website', label: 'Valid TLS certificate', points: 15, effort: 'low' },
  redirects: { category: 'website', label: 'Few redirects, no loop', points: 10, effort: 'low' },
  responseTime: { category: 'website', label: 'Response time', points: 15, effort: 'medium' },
  pageWeight: { category: 'website', label: 'Page weight', points: 10, effort: 'medium' },
  mobileViewport: { category: 'website', label: 'Mobile viewport', points: 10, effort: 'low' },
  brokenLinks: { category: 'website', label: 'No broken links (sampled)', points: 15, effort: 'low' },
  favicon: { category: 'website', label: 'Favicon', points: 5, effort: 'low' },
  analytics: { category: 'website', label: 'Analytics tag', points: 5, effort: 'low' },
  title: { category: 'discoverability', label: 'Page title', points: 20, effort: 'low' },
  metaDescription: { category: 'discoverability', label: 'Meta description', points: 20, effort: 'low' },
  openGraph: { category: 'discoverability', label: 'Open Graph tags', points: 20, effort: 'low' },
  sitemap: { category: 'discoverability', label: 'Sitemap', points: 20, effort: 'low' },
  robots: { category: 'discoverability', label: 'robots.txt', points: 20, effort: 'low' },
  'jsonld.present': { category: 'structuredData', label: 'Restaurant / LocalBusiness JSON-LD', points: 25, effort: 'medium' },
  'jsonld.name': { category: 'structuredData', label: 'JSON-LD: name', points: 10, effort: 'low' },
  'jsonld.address': { category: 'structuredData', label: 'JSON-LD: address', points: 15, effort: 'low' },
  'jsonld.phone': { category: 'structuredData', label: 'JSON-LD: telephone', points: 10, effort: 'low' },
  'jsonld.openingHours': { category: 'structuredData', label: 'JSON-LD: opening hours', points: 15, effort: 'low' },
  'jsonld.menu': { category: 'structuredData', label: 'JSON-LD: menu', points: 10, effort: 'low' },
  'jsonld.priceRange': { category: 'structuredData', label: 'JSON-LD: price range', points: 5, effort: 'low' },
  'jsonld.acceptsReservations': { category: 'structuredData', label: 'JSON-LD: acceptsReservations', points: 5, effort: 'low' },
  'jsonld.geo': { category: 'structuredData', label: 'JSON-LD: geo coordinates', points: 5, effort: 'low' },
  'menu.text': { category: 'content', label: 'Menu as text', points: 40, effort: 'medium' },
  ordering: { category: 'content', label: 'Online ordering link', points: 30, effort: 'medium' },
  reservations: { category: 'content', label: 'Reservations link', points: 30, effort: 'medium' },
  'a11y.altText': { category: 'accessibility', label: 'Images have alt text', points: 35, effort: 'low' },
  'a11y.headings': { category: 'accessibility', label: 'Heading structure', points: 25, effort: 'low' },
  'a11y.contrast': { category: 'accessibility', label: 'Text contrast', points: 25, effort: 'medium' },
  'a11y.lang': { category: 'accessibility', label: 'Page language', points: 15, effort: 'low' },
};

/** The share of a check's points each status earns. */
export const STATUS_SHARE: Readonly<Record<CheckStatus, number>> = { pass: 1, warn: 0.5, fail: 0, skipped: 0 };

export function rubricEntry(id: string): RubricEntry {
  const entry = Object.hasOwn(RUBRIC, id) ? RUBRIC[id] : undefined;
  if (!entry) throw new Error(`check ${id} has no line in the rubric (core/presence/rubric.ts)`);
  return entry;
}

export interface CheckFinding {
  status: CheckStatus;
  summary: string;
  evidence?: EvidenceItem[];
  /** Read from markup or names rather than measured (default false). */
  inferred?: boolean;
  recommendation?: CheckRecommendation;
}

/** A check's result with its category, label and points from the rubric. */
export function checkResultOf(id: string, finding: CheckFinding): CheckResult {
  const entry = rubricEntry(id);
  const maxPoints = finding.status === 'skipped' ? 0 : entry.points;
  return {
    id,
    category: entry.category,
    label: entry.label,
    status: finding.status,
    points: maxPoints * STATUS_SHARE[finding.status],
    maxPoints,
    evidence: finding.evidence ?? [],
    inferred: finding.inferred ?? false,
    summary: finding.summary,
    ...(finding.status !== 'pass' && finding.status !== 'skipped' && finding.recommendation ? { recommendation: finding.recommendation } : {}),
  };
}

export const GRADE_FLOORS: readonly [Grade, number][] = [
  ['A', 90],
  ['B', 80],
  ['C', 70],
  ['D', 60],
  ['F', 0],
];

export const gradeOf = (score: number): Grade => GRADE_FLOORS.find(([, floor]) => score >= floor)![0];

export interface Scored {
  overall: number;
  grade: Grade;
  categories: CategoryScore[];
}

/** Category scores (share of points earned) and the overall weighted mean of the measured ones. */
export function scoreChecks(checks: readonly CheckResult[]): Scored {
  const categories: CategoryScore[] = (Object.keys(CATEGORY_WEIGHTS) as PresenceCategory[]).map((category) => {
    const own = checks.filter((c) => c.category === category && c.status !== 'skipped');
    const earned = own.reduce((s, c) => s + c.points, 0);
    const max = own.reduce((s, c) => s + c.maxPoints, 0);
    return { category, score: max > 0 ? Math.round((100 * earned) / max) : null, earned, max, weight: CATEGORY_WEIGHTS[category], checks: own.length };
  });
  const measured = categories.filter((c) => c.score !== null && c.max > 0);
  const weights = measured.reduce((s, c) => s + c.weight, 0);
  // From the exact shares, not the rounded category scores, so rounding happens once.
  const overall = weights > 0 ? Math.round(measured.reduce((s, c) => s + (c.weight * 100 * c.earned) / c.max, 0) / weights) : 0;
  return { overall, grade: gradeOf(overall), categories };
}

const EFFORT_COST: Readonly<Record<Effort, number>> = { low: 1, medium: 2, high: 3 };

/** The overall points a check would add if it passed (its lost points, through its category's weight). */
export function overallGain(check: CheckResult, categories: readonly CategoryScore[]): number {
  const cat = categories.find((c) => c.category === check.category);
  const weights = categories.filter((c) => c.score !== null && c.max > 0).reduce((s, c) => s + c.weight, 0);
  if (!cat || cat.max === 0 || weights === 0) return 0;
  return ((check.maxPoints - check.points) / cat.max) * 100 * (cat.weight / weights);
}

export const impactOf = (gain: number): Impact => (gain >= 4 ? 'high' : gain >= 1.5 ? 'medium' : 'low');

/** Recommendations of the checks that lost points, most overall points per unit of effort first. */
export function rankRecommendations(checks: readonly CheckResult[], categories: readonly CategoryScore[]): RankedRecommendation[] {
  return checks
    .filter((c) => c.recommendation && c.points < c.maxPoints)
    .map((c) => {
      // Ranked on the gain as shown (one decimal), so the order is the one a reader can check.
      const gain = Math.round(overallGain(c, categories) * 10) / 10;
      const effort = rubricEntry(c.id).effort;
      return { ...c.recommendation!, checkId: c.id, category: c.category, impact: impactOf(gain), effort, gain, rank: gain / EFFORT_COST[effort] };
    })
    .sort((a, b) => b.rank - a.rank || b.gain - a.gain || a.checkId.localeCompare(b.checkId))
    .map(({ rank: _rank, ...r }) => r);
}

export type ScoredReport = Pick<AuditReport, 'overall' | 'grade' | 'categories' | 'recommendations'>;

export function scoreReport(checks: readonly CheckResult[]): ScoredReport {
  const scored = scoreChecks(checks);
  return { ...scored, recommendations: rankRecommendations(checks, scored.categories) };
}
