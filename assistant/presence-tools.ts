/**
 * The assistant's tool over the presence grader: the latest completed audit (score, grade,
 * categories, the top recommendations) and what changed since the audit of the same site before
 * it, with the checks that moved the score, biggest loss first (core/assistant/presence-diff.ts).
 */
import { diffAudits, type CheckChange } from '../core/assistant/presence-diff';
import { latestAudits } from './store';
import { failed, type Tool } from './tool-kit';

const CHANGED_CHECKS = 8;

const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;
const state = (s: CheckChange['before']) => (s ? `${s.status} ${s.points}/${s.maxPoints}` : 'not run');
const checkLine = (c: CheckChange) => `${c.label} (${c.category}): ${state(c.before)} → ${state(c.after)} (${signed(c.pointsChange)} points) — ${c.summary}`;

const presenceGradeTool: Tool = async (deps, tenantId) => {
  const audits = await latestAudits(deps.orm, tenantId);
  if (!audits) return failed('no presence audit has completed yet: run one on the Presence page');
  const report = audits.latest.report!;
  const day = (d: Date | null) => (d ?? new Date(report.finishedAt)).toISOString().slice(0, 10);
  const top = report.recommendations.slice(0, 3).map((r) => ({ title: r.title, action: r.rewritten ?? r.action, impact: r.impact, effort: r.effort, gain: r.gain }));
  const latest = { auditId: audits.latest.id, url: report.url, completedAt: audits.latest.completedAt?.toISOString() ?? report.finishedAt, overall: report.overall, grade: report.grade, categories: report.categories.map((c) => ({ category: c.category, score: c.score })), notes: report.notes, topRecommendations: top };
  const diff = audits.previous ? diffAudits(audits.previous.report!, report) : null;
  const changed = diff?.checks.slice(0, CHANGED_CHECKS) ?? [];
  const lines = [
    `Your latest presence audit of ${report.url} (${day(audits.latest.completedAt)}): ${report.overall}/100, grade ${report.grade}.`,
    ...(diff && audits.previous
      ? [
          `Since the audit of ${day(audits.previous.completedAt)}: ${diff.overall.before} → ${diff.overall.after} (${signed(diff.overall.change)}), grade ${diff.grade.before} → ${diff.grade.after}.`,
          ...(diff.categories.some((c) => c.change) ? [`Categories: ${diff.categories.filter((c) => c.change).map((c) => `${c.category} ${c.before} → ${c.after}`).join(', ')}.`] : []),
          ...(changed.length ? ['Checks that changed:', ...changed.map((c) => `- ${checkLine(c)}`)] : ['No check changed.']),
        ]
      : ['There is no earlier audit of this site to compare with.']),
    ...(top.length ? ['Top recommendations:', ...top.map((r) => `- ${r.title} (impact ${r.impact}, effort ${r.effort}, +${r.gain} points)`)] : []),
  ];
  return {
    content: JSON.stringify({ latest, previous: audits.previous ? { auditId: audits.previous.id, completedAt: audits.previous.completedAt?.toISOString() ?? null, overall: audits.previous.overall, grade: audits.previous.grade } : null, changes: diff ? { ...diff, checks: changed } : null }),
    source: {
      document: `Presence audit · ${report.url} · ${day(audits.latest.completedAt)}`,
      section: diff ? `${diff.overall.before} → ${diff.overall.after} (grade ${diff.grade.before} → ${diff.grade.after})${changed.length ? ` · ${changed.slice(0, 3).map((c) => `${c.label} ${signed(c.pointsChange)}`).join(' · ')}` : ''}` : `${report.overall}/100 · grade ${report.grade}`,
    },
    summary: lines.join('\n'),
  };
};

export const PRESENCE_TOOL_RUNNERS: Record<string, Tool> = { presence_grade: presenceGradeTool };
