/** The report mail's text: changes against the previous week, empty periods, and names escaped in the HTML part. */
import { describe, expect, it } from 'vitest';
import type { ReportPeriodFigures, WeeklyReport } from '../../core/reports';
import { change, reportHtml, reportText } from '../../webhooks/report-mail';

const empty: ReportPeriodFigures = { from: '2026-12-01', to: '2026-12-07', conversations: 0, messages: 0, resolutionRate: null, handoffRate: null, avgFirstResponseSeconds: null, costUsd: 0, errors: 0 };

describe('report mail', () => {
  it('says how a figure changed, or nothing when there is nothing to compare', () => {
    expect(change(12, 10)).toBe('+20%');
    expect(change(5, 10)).toBe('-50%');
    expect(change(3, 0)).toBe('new');
    expect(change(0, 0)).toBe('0%');
    expect(change(null, 0.5)).toBe('');
  });

  it('renders an empty week with dashes and escapes names in the HTML', () => {
    const report: WeeklyReport = {
      tenantName: 'Acme <script>alert(1)</script>',
      timezone: 'UTC',
      current: empty,
      previous: { ...empty, from: '2026-11-24', to: '2026-11-30' },
      topFlows: [{ name: 'Sales & "Support"', conversations: 3, handoffRate: 0.5 }],
      campaigns: [{ name: '<b>Spring</b>', sent: 1200, failed: 3 }],
    };
    const text = reportText(report);
    expect(text).toContain('Resolution rate: – (previous –)');
    expect(text).toContain('Conversations: 0 (previous 0, 0%)');
    expect(text).toContain('- <b>Spring</b>: 1,200 sent, 3 failed');
    const html = reportHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Acme &lt;script&gt;');
    expect(html).toContain('Sales &amp; &quot;Support&quot;');
    expect(html).toContain('&lt;b&gt;Spring&lt;/b&gt;');
  });
});
