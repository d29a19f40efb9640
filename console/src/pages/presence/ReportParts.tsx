/**
 * The pieces of a presence report: the grade dial (an SVG ring, its arc the score), the category
 * bars, the ranked recommendations with their snippets, every check with its evidence, and what
 * changed since an earlier audit.
 */
import type { z } from 'zod';
import type { auditView } from '../../../../core/api/presence';
import { CATEGORY_LABELS, type ReportChanges } from '../../../../core/presence-surface';
import { Badge, type Tone } from '../../ui';

export type Audit = z.infer<typeof auditView>;
export type Report = NonNullable<Audit['report']>;

const band = (score: number) => (score >= 80 ? 'pr-good' : score >= 60 ? 'pr-fair' : 'pr-poor');
const STATUS: Record<string, [Tone, string]> = { pass: ['success', 'Pass'], warn: ['warning', 'Warning'], fail: ['danger', 'Fail'], skipped: ['neutral', 'Not measured'] };

export function StatusBadge({ status }: { status: string }) {
  const [tone, label] = STATUS[status] ?? ['neutral', status];
  return <Badge tone={tone}>{label}</Badge>;
}

export function GradeDial({ score, grade }: { score: number; grade: string }) {
  const r = 70;
  const c = 2 * Math.PI * r;
  return (
    <svg className="pr-dial" viewBox="0 0 180 180" role="img" aria-label={`Grade ${grade}, ${score} of 100`}>
      <circle cx="90" cy="90" r={r} fill="none" stroke="var(--color-surface-muted)" strokeWidth="16" />
      <circle className={band(score)} cx="90" cy="90" r={r} fill="none" stroke="currentColor" strokeWidth="16" strokeDasharray={`${(c * score) / 100} ${c}`} transform="rotate(-90 90 90)" strokeLinecap="round" />
      <text className={`pr-dial-grade ${band(score)}`} x="90" y="96" textAnchor="middle" fill="currentColor">
        {grade}
      </text>
      <text className="pr-dial-score" x="90" y="122" textAnchor="middle">
        {score} / 100
      </text>
    </svg>
  );
}

export function CategoryBars({ report }: { report: Report }) {
  const measured = report.categories.filter((c) => c.score !== null);
  return (
    <dl className="pr-bars" aria-label="Score by category">
      {measured.map((c) => (
        <div key={c.category} style={{ display: 'contents' }}>
          <dt>{CATEGORY_LABELS[c.category]}</dt>
          <dd className="pr-bar" aria-hidden="true">
            <span className={band(c.score!)} style={{ width: `${c.score}%` }} />
          </dd>
          <dd aria-label={`${CATEGORY_LABELS[c.category]} ${c.score}`}>{c.score}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Recommendations({ report }: { report: Report }) {
  if (!report.recommendations.length) return <p>Nothing to fix: every measured check passed.</p>;
  return (
    <ol className="pr-recs" aria-label="Recommendations, most impact for the effort first">
      {report.recommendations.map((r) => (
        <li key={r.checkId}>
          <strong>{r.title}</strong>{' '}
          <span className="pg-muted">
            impact {r.impact}, effort {r.effort}, +{r.gain} points
          </span>
          <p>{r.rewritten ?? r.action}</p>
          {r.snippet && <pre className="pg-pre">{r.snippet}</pre>}
        </li>
      ))}
    </ol>
  );
}

export function Checks({ report }: { report: Report }) {
  return (
    <div>
      {report.checks.map((c) => (
        <details key={c.id} className="pr-check">
          <summary>
            <StatusBadge status={c.status} />
            <span className="pg-grow">{c.label}</span>
            {c.inferred && <Badge tone="info">inferred</Badge>}
            <span className="pg-muted">
              {c.points} / {c.maxPoints}
            </span>
          </summary>
          <p className="pr-evidence">{c.summary}</p>
          {c.evidence.length > 0 && (
            <dl className="pg-dl pr-evidence">
              {c.evidence.map((e, i) => (
                <div key={i} style={{ display: 'contents' }}>
                  <dt>{e.label}</dt>
                  <dd>{e.value}</dd>
                </div>
              ))}
            </dl>
          )}
        </details>
      ))}
    </div>
  );
}

const sign = (n: number) => (n > 0 ? `+${n}` : String(n));

export function Changes({ changes }: { changes: ReportChanges & { from: { createdAt: string } } }) {
  return (
    <div aria-label="What changed">
      <p>
        Since the audit of {new Date(changes.from.createdAt).toLocaleDateString()}: grade {changes.grade.from} → {changes.grade.to}, score {changes.overall.from} → {changes.overall.to} ({sign(changes.overall.delta)}).
      </p>
      {changes.checks.length === 0 ? (
        <p className="pg-muted">No check changed.</p>
      ) : (
        <ul>
          {changes.checks.map((c) => (
            <li key={c.id}>
              {c.label}: {c.from ?? 'new'} → {c.to ?? 'gone'} ({sign(Math.round((c.pointsTo - c.pointsFrom) * 10) / 10)} points)
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
