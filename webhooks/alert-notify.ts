/**
 * What an alert firing says: the mail to the tenant's admins and the signed POST to the rule's
 * webhook. The POST is an outbound webhook in all but its subscription: the same payload shape,
 * headers and signature (webhooks/send.ts, webhooks/signature.ts), through the guarded client.
 */
import { ALERT_METRIC_LABELS, COMPARISON_SIGNS, type AlertComparison, type AlertMetric, type AlertTransition } from '../core/reports';
import type { WebhookPayload } from '../core/webhooks';

export interface AlertFacts {
  tenantId: string;
  eventId: string;
  transition: AlertTransition;
  rule: { id: string; name: string; metric: AlertMetric; comparison: AlertComparison; threshold: number; windowMinutes: number; channel: string | null; flowId: string | null };
  /** The value that fired the alert, or that resolved it. */
  value: number | null;
  firedAt: string;
  resolvedAt: string | null;
}

export const formatMetric = (metric: AlertMetric, value: number | null) =>
  value === null ? 'n/a' : metric === 'handoff_rate' ? `${(value * 100).toFixed(1)}%` : metric === 'spend' ? `$${value.toFixed(4)}` : String(value);

const windowText = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);

export function alertPayload(f: AlertFacts, at: string): WebhookPayload {
  return {
    id: `${f.eventId}:${f.transition}`,
    type: f.transition === 'triggered' ? 'alert.triggered' : 'alert.resolved',
    createdAt: at,
    tenantId: f.tenantId,
    data: {
      alertEventId: f.eventId,
      ruleId: f.rule.id,
      ruleName: f.rule.name,
      metric: f.rule.metric,
      comparison: f.rule.comparison,
      threshold: f.rule.threshold,
      windowMinutes: f.rule.windowMinutes,
      channel: f.rule.channel,
      flowId: f.rule.flowId,
      value: f.value,
      firedAt: f.firedAt,
      resolvedAt: f.resolvedAt,
    },
  };
}

export function alertMail(f: AlertFacts): { subject: string; text: string } {
  const r = f.rule;
  const condition = `${ALERT_METRIC_LABELS[r.metric]} ${COMPARISON_SIGNS[r.comparison]} ${formatMetric(r.metric, r.threshold)} over the last ${windowText(r.windowMinutes)}`;
  const scope = [r.channel ? `channel ${r.channel}` : '', r.flowId ? `flow ${r.flowId}` : ''].filter(Boolean).join(', ');
  const now = formatMetric(r.metric, f.value);
  return f.transition === 'triggered'
    ? {
        subject: `[Alert] ${r.name}: ${now}`,
        text: `The alert "${r.name}" fired at ${f.firedAt}.\n\nCondition: ${condition}${scope ? ` (${scope})` : ''}\nCurrent value: ${now}\n\nYou will get one more mail when it resolves. Rules and history: console → Alerts.\n`,
      }
    : {
        subject: `[Resolved] ${r.name}: ${now}`,
        text: `The alert "${r.name}" resolved at ${f.resolvedAt} (it fired at ${f.firedAt}).\n\nCondition: ${condition}${scope ? ` (${scope})` : ''}\nValue now: ${now}\n`,
      };
}
