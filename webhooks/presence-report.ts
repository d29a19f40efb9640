/**
 * A presence report as one HTML document, for the read-only share page and the public grader's mail:
 * inline styles only (mail clients drop style sheets and block images and scripts), every value
 * escaped. The grade dial is a CSS ring (a conic gradient) with the figure in its middle; mail
 * clients that ignore gradients still show the figure and the grade.
 */
import type { ReportView } from '../core/presence-surface';

export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const gradeColor = (score: number) => (score >= 80 ? '#1a7f37' : score >= 60 ? '#9a6700' : '#cf222e');
const STATUS = { pass: ['#1a7f37', 'Pass'], warn: ['#9a6700', 'Warning'], fail: ['#cf222e', 'Fail'], skipped: ['#57606a', 'Not measured'] } as const;

/** `footer` is HTML the caller built (a link, an escaped sentence); everything from the report is escaped here. */
export function reportHtml(r: ReportView, opts: { heading?: string; footer?: string } = {}): string {
  const color = gradeColor(r.score);
  const categories = r.categories
    .map((c) => `<tr><td style="padding:4px 8px">${esc(c.label)}</td><td style="padding:4px 8px;width:60%"><div style="background:#eaeef2;border-radius:4px"><div style="background:${gradeColor(c.score)};width:${Math.max(0, Math.min(100, c.score))}%;height:10px;border-radius:4px"></div></div></td><td style="padding:4px 8px;text-align:right">${Math.round(c.score)}</td></tr>`)
    .join('');
  const recommendations = r.recommendations
    .map((x, i) => `<li style="margin:0 0 12px"><strong>${i + 1}. ${esc(x.title)}</strong> <span style="color:#57606a">(impact ${esc(x.impact)}, effort ${esc(x.effort)})</span><br>${esc(x.action)}${x.snippet ? `<pre style="background:#f6f8fa;padding:8px;overflow:auto;white-space:pre-wrap;font-size:12px">${esc(x.snippet)}</pre>` : ''}</li>`)
    .join('');
  const checks = r.checks
    .map((c) => {
      const [col, word] = STATUS[c.status];
      return `<tr><td style="padding:4px 8px;vertical-align:top"><span style="color:${col};font-weight:600">${word}</span></td><td style="padding:4px 8px;vertical-align:top">${esc(c.label)}${c.inferred ? ' <em style="color:#57606a">(inferred)</em>' : ''}<br><span style="color:#57606a;font-size:13px">${esc(c.evidence)}</span></td><td style="padding:4px 8px;text-align:right;vertical-align:top;white-space:nowrap">${c.points} / ${c.maxPoints}</td></tr>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(opts.heading ?? `Presence report for ${r.businessName ?? r.site}`)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328;max-width:760px;margin:0 auto;padding:16px">
<h1 style="font-size:22px">${esc(opts.heading ?? `Presence report for ${r.businessName ?? r.site}`)}</h1>
<p style="color:#57606a">${esc(r.site)} · audited ${esc(r.finishedAt.slice(0, 16).replace('T', ' '))} UTC</p>
<div role="img" aria-label="Score ${Math.round(r.score)} of 100, grade ${esc(r.grade)}" style="width:140px;height:140px;border-radius:50%;background:conic-gradient(${color} ${r.score * 3.6}deg,#eaeef2 0);display:flex;align-items:center;justify-content:center;margin:12px 0">
<div style="width:104px;height:104px;border-radius:50%;background:#fff;display:flex;flex-direction:column;align-items:center;justify-content:center"><span style="font-size:34px;font-weight:700;color:${color}">${esc(r.grade)}</span><span style="font-size:13px">${Math.round(r.score)} / 100</span></div></div>
<h2 style="font-size:18px">By category</h2><table style="width:100%;border-collapse:collapse">${categories}</table>
<h2 style="font-size:18px">What to do first</h2><ol style="padding-left:0;list-style:none">${recommendations || '<li>Nothing: every check passed.</li>'}</ol>
<h2 style="font-size:18px">Every check</h2><table style="width:100%;border-collapse:collapse;font-size:14px">${checks}</table>
<h2 style="font-size:18px">Sources</h2><p>${esc(r.sources.join(', ') || 'the website only')}</p>
${r.notes.length ? `<h2 style="font-size:18px">What could not be measured</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
${opts.footer ? `<p style="color:#57606a;font-size:13px;margin-top:24px">${opts.footer}</p>` : ''}
</body></html>`;
}

/** The same report as plain text (the mail's text part). */
export function reportText(r: ReportView): string {
  return [
    `Presence report for ${r.businessName ?? r.site}`,
    `Grade ${r.grade} — ${Math.round(r.score)} / 100`,
    '',
    ...r.categories.map((c) => `${c.label}: ${Math.round(c.score)}`),
    '',
    'What to do first:',
    ...r.recommendations.map((x, i) => `${i + 1}. ${x.title} — ${x.action}`),
    '',
    ...(r.notes.length ? ['Not measured:', ...r.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}
