/**
 * The weekly report as a mail: an HTML part (tables with inline-styled bars, no images or scripts,
 * so mail clients show it as sent) and a text part with the same figures. Pure: the figures come
 * from db/repos/reports.ts through the report workflow's activity.
 */
import { escapeHtml } from '../core/campaigns/email-html';
import type { ReportPeriodFigures, WeeklyReport } from '../core/reports';

interface Row {
  label: string;
  current: number | null;
  previous: number | null;
  format: (v: number) => string;
  /** Whether a rise is good news (drawn green) or bad (red). */
  higherIsBetter: boolean;
}

const count = (v: number) => v.toLocaleString('en-US');
const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
const seconds = (v: number) => (v >= 60 ? `${Math.floor(v / 60)}m ${Math.round(v % 60)}s` : `${v.toFixed(1)}s`);
const usd = (v: number) => `$${v.toFixed(v !== 0 && Math.abs(v) < 1 ? 4 : 2)}`;

function rows(c: ReportPeriodFigures, p: ReportPeriodFigures): Row[] {
  return [
    { label: 'Conversations', current: c.conversations, previous: p.conversations, format: count, higherIsBetter: true },
    { label: 'Messages', current: c.messages, previous: p.messages, format: count, higherIsBetter: true },
    { label: 'Resolution rate', current: c.resolutionRate, previous: p.resolutionRate, format: percent, higherIsBetter: true },
    { label: 'Handoff rate', current: c.handoffRate, previous: p.handoffRate, format: percent, higherIsBetter: false },
    { label: 'First response time', current: c.avgFirstResponseSeconds, previous: p.avgFirstResponseSeconds, format: seconds, higherIsBetter: false },
    { label: 'Cost', current: c.costUsd, previous: p.costUsd, format: usd, higherIsBetter: false },
    { label: 'Errors', current: c.errors, previous: p.errors, format: count, higherIsBetter: false },
  ];
}

const shown = (r: Row, v: number | null) => (v === null ? '–' : r.format(v));

/** "+25%", "-10%", "new", or "" when there is nothing to compare. */
export function change(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return '';
  if (previous === 0) return current === 0 ? '0%' : 'new';
  const pct = Math.round(((current - previous) / previous) * 100);
  return `${pct > 0 ? '+' : ''}${pct}%`;
}

function bar(value: number | null, max: number, color: string): string {
  const width = value === null || max <= 0 ? 0 : Math.max(1, Math.round((value / max) * 120));
  return `<div style="height:8px;width:${width}px;background:${color};border-radius:2px"></div>`;
}

export function reportSubject(r: WeeklyReport): string {
  return `Weekly report for ${r.tenantName}: ${r.current.from} to ${r.current.to}`;
}

export function reportText(r: WeeklyReport): string {
  const lines = [
    `Weekly report for ${r.tenantName}`,
    `${r.current.from} to ${r.current.to} (${r.timezone}), compared with ${r.previous.from} to ${r.previous.to}`,
    '',
    ...rows(r.current, r.previous).map((row) => {
      const delta = change(row.current, row.previous);
      return `${row.label}: ${shown(row, row.current)} (previous ${shown(row, row.previous)}${delta ? `, ${delta}` : ''})`;
    }),
  ];
  if (r.topFlows.length) lines.push('', 'Top flows', ...r.topFlows.map((f) => `- ${f.name}: ${count(f.conversations)} conversations, handoff rate ${f.handoffRate === null ? '–' : percent(f.handoffRate)}`));
  if (r.campaigns.length) lines.push('', 'Campaign sends', ...r.campaigns.map((c) => `- ${c.name}: ${count(c.sent)} sent, ${count(c.failed)} failed`));
  return `${lines.join('\n')}\n`;
}

const CELL = 'padding:6px 10px;border-bottom:1px solid #e5e7eb;font-size:14px';

export function reportHtml(r: WeeklyReport): string {
  const kpis = rows(r.current, r.previous)
    .map((row) => {
      const max = Math.max(row.current ?? 0, row.previous ?? 0);
      const delta = change(row.current, row.previous);
      const rising = row.current !== null && row.previous !== null && row.current > row.previous;
      const good = delta === '' || delta === '0%' || rising === row.higherIsBetter;
      return `<tr><td style="${CELL}">${row.label}</td><td style="${CELL};text-align:right;font-weight:600">${shown(row, row.current)}</td>
<td style="${CELL}">${bar(row.current, max, '#4f46e5')}${bar(row.previous, max, '#c7d2fe')}</td>
<td style="${CELL};text-align:right;color:#6b7280">${shown(row, row.previous)}</td><td style="${CELL};text-align:right;color:${good ? '#15803d' : '#b91c1c'}">${delta}</td></tr>`;
    })
    .join('\n');
  const maxFlow = Math.max(0, ...r.topFlows.map((f) => f.conversations));
  const flows = r.topFlows.length
    ? `<h3 style="font-size:15px;margin:24px 0 8px">Top flows</h3><table cellspacing="0" style="border-collapse:collapse">${r.topFlows
        .map((f) => `<tr><td style="${CELL}">${escapeHtml(f.name)}</td><td style="${CELL};text-align:right">${count(f.conversations)}</td><td style="${CELL}">${bar(f.conversations, maxFlow, '#4f46e5')}</td><td style="${CELL};color:#6b7280">handoff ${f.handoffRate === null ? '–' : percent(f.handoffRate)}</td></tr>`)
        .join('')}</table>`
    : '';
  const campaigns = r.campaigns.length
    ? `<h3 style="font-size:15px;margin:24px 0 8px">Campaign sends</h3><table cellspacing="0" style="border-collapse:collapse"><tr><th style="${CELL};text-align:left">Campaign</th><th style="${CELL}">Sent</th><th style="${CELL}">Failed</th></tr>${r.campaigns
        .map((c) => `<tr><td style="${CELL}">${escapeHtml(c.name)}</td><td style="${CELL};text-align:right">${count(c.sent)}</td><td style="${CELL};text-align:right">${count(c.failed)}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#111827;margin:0;padding:24px">
<h2 style="font-size:18px;margin:0 0 4px">Weekly report for ${escapeHtml(r.tenantName)}</h2>
<p style="margin:0 0 16px;color:#6b7280;font-size:13px">${r.current.from} to ${r.current.to} (${escapeHtml(r.timezone)}), compared with ${r.previous.from} to ${r.previous.to}</p>
<table cellspacing="0" style="border-collapse:collapse"><tr><th style="${CELL};text-align:left"></th><th style="${CELL}">This week</th><th style="${CELL}"></th><th style="${CELL}">Previous</th><th style="${CELL}">Change</th></tr>
${kpis}
</table>${flows}${campaigns}
</body></html>`;
}
