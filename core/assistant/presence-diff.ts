/**
 * What changed between two presence audits of the same site: the overall score and grade, each
 * category's score, and the checks whose points moved, the biggest loss first. Pure: the
 * assistant's `presence_grade` tool answers "why did my grade drop?" with it, model or not.
 */
import type { AuditReport, CheckStatus, Grade, PresenceCategory } from '../presence/types';

export interface CheckChange {
  id: string;
  label: string;
  category: PresenceCategory;
  before: { status: CheckStatus; points: number; maxPoints: number } | null;
  after: { status: CheckStatus; points: number; maxPoints: number } | null;
  /** after − before points (a check new or gone counts from 0). */
  pointsChange: number;
  /** The latest audit's one-sentence reason (or the earlier one's for a check that is gone). */
  summary: string;
}

export interface AuditDiff {
  overall: { before: number; after: number; change: number };
  grade: { before: Grade; after: Grade };
  categories: { category: PresenceCategory; before: number | null; after: number | null; change: number | null }[];
  /** Only checks whose status or points changed, biggest loss first. */
  checks: CheckChange[];
}

export function diffAudits(before: AuditReport, after: AuditReport): AuditDiff {
  const categories = [...new Set([...after.categories, ...before.categories].map((c) => c.category))].map((category) => {
    const b = before.categories.find((c) => c.category === category)?.score ?? null;
    const a = after.categories.find((c) => c.category === category)?.score ?? null;
    return { category, before: b, after: a, change: a !== null && b !== null ? a - b : null };
  });
  const ids = [...new Set([...after.checks, ...before.checks].map((c) => c.id))];
  const checks = ids
    .map((id): CheckChange => {
      const b = before.checks.find((c) => c.id === id);
      const a = after.checks.find((c) => c.id === id);
      const either = (a ?? b)!;
      return {
        id,
        label: either.label,
        category: either.category,
        before: b ? { status: b.status, points: b.points, maxPoints: b.maxPoints } : null,
        after: a ? { status: a.status, points: a.points, maxPoints: a.maxPoints } : null,
        pointsChange: (a?.points ?? 0) - (b?.points ?? 0),
        summary: either.summary,
      };
    })
    .filter((c) => c.before?.status !== c.after?.status || c.pointsChange !== 0)
    .sort((x, y) => x.pointsChange - y.pointsChange || x.id.localeCompare(y.id));
  return { overall: { before: before.overall, after: after.overall, change: after.overall - before.overall }, grade: { before: before.grade, after: after.grade }, categories, checks };
}
