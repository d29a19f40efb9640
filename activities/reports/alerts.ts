/**
 * The alert evaluation's steps. A rule's firing opens when its value breaches the threshold (and
 * the cooldown since the rule last fired is over) and resolves when the value no longer breaches;
 * each transition is notified once per destination — the `alert.*` platform event (which outbound
 * webhook subscriptions receive too), the admins' mail, the rule's signed webhook — and what was
 * notified is recorded on the firing, so a retried activity repeats only what failed.
 */
import { breaches, type AlertNotice } from '../../core/reports';
import { AlertRule } from '../../db/entities';
import { systemEm, tenantEm } from '../../db/orm';
import { alertMetricValue, getAlertEvent, lastFiredAt, markAlertNotified, noteFiringValue, openAlertEvent, openFiring, resolveAlertEvent, tenantsWithAlertRules } from '../../db/repos/alerts';
import { tenantAdminEmails } from '../../db/repos/webhooks';
import { secretBoxFromConfig } from '../../db/secrets';
import { configPolicy } from '../../net/address-policy';
import { alertMail, alertPayload, type AlertFacts } from '../../webhooks/alert-notify';
import { systemMailer } from '../../webhooks/mailer';
import { isSuccess, sendAttempt } from '../../webhooks/send';
import { attemptNumber } from '../context';
import type { ActivityDeps } from '../deps';
import { queueEvent, subjectJobId } from '../events';
import type { ReportActivities } from './types';

/** A webhook that still fails on this attempt is recorded as failed instead of retried again. */
export const ALERT_WEBHOOK_ATTEMPTS = 5;

export function alertActivities({ orm, config, eventsQueue }: ActivityDeps): Pick<ReportActivities, 'listAlertTenants' | 'evaluateTenantAlerts' | 'notifyAlert'> {
  const mailer = systemMailer(config);
  const box = secretBoxFromConfig(config);
  const policy = configPolicy(config);
  return {
    async listAlertTenants() {
      return { tenantIds: await tenantsWithAlertRules(systemEm(orm)) };
    },

    async evaluateTenantAlerts({ tenantId, at }) {
      const em = tenantEm(orm, tenantId);
      const now = new Date(at);
      const rules = await em.find(AlertRule, { tenant: tenantId, enabled: true });
      const notices: AlertNotice[] = [];
      for (const rule of rules) {
        const value = await alertMetricValue(em, { tenantId, metric: rule.metric, windowMinutes: rule.windowMinutes, channel: rule.channel, flowId: rule.flow }, now);
        const open = await openFiring(em, tenantId, rule.id);
        const breaching = breaches(value, rule.comparison, rule.threshold);
        if (open && !breaching) {
          if (await resolveAlertEvent(em, tenantId, open.id, value)) notices.push({ tenantId, eventId: open.id, transition: 'resolved' });
        } else if (open) {
          await noteFiringValue(em, tenantId, open.id, value);
        } else if (breaching) {
          const last = await lastFiredAt(em, tenantId, rule.id);
          if (last && now.getTime() - last.getTime() < rule.cooldownMinutes * 60_000) continue;
          const eventId = await openAlertEvent(em, { tenantId, ruleId: rule.id, value: value!, threshold: rule.threshold });
          if (eventId) notices.push({ tenantId, eventId, transition: 'triggered' });
        }
      }
      return { rules: rules.length, notices };
    },

    async notifyAlert({ tenantId, eventId, transition }) {
      const em = tenantEm(orm, tenantId);
      const event = await getAlertEvent(em, tenantId, eventId);
      const rule = event && (await em.findOne(AlertRule, { tenant: tenantId, id: event.rule }, { populate: ['webhookSecretEncrypted'] }));
      // The rule was deleted since (its firings with it): nobody to tell.
      if (!event || !rule) return;
      const done = event.notified[transition] ?? {};
      const facts: AlertFacts = {
        tenantId,
        eventId,
        transition,
        rule: { id: rule.id, name: rule.name, metric: rule.metric, comparison: rule.comparison, threshold: rule.threshold, windowMinutes: rule.windowMinutes, channel: rule.channel ?? null, flowId: rule.flow ?? null },
        value: transition === 'triggered' ? event.value : (event.resolvedValue ?? null),
        firedAt: event.firedAt.toISOString(),
        resolvedAt: event.resolvedAt?.toISOString() ?? null,
      };
      const payload = alertPayload(facts, transition === 'triggered' ? facts.firedAt : (facts.resolvedAt ?? new Date().toISOString()));
      const mark = (patch: Record<string, string>) => markAlertNotified(em, tenantId, eventId, transition, patch);

      if (!done.event) {
        await queueEvent(eventsQueue, { tenantId, type: payload.type, workflowId: `alert:${tenantId}:${rule.id}`, data: payload.data }, subjectJobId(tenantId, payload.type, eventId));
        await mark({ event: new Date().toISOString() });
      }
      if (rule.notifyAdmins && !done.email) {
        const to = await tenantAdminEmails(systemEm(orm), tenantId);
        if (mailer && to.length) await mailer({ to, ...alertMail(facts) });
        await mark({ email: mailer ? (to.length ? new Date().toISOString() : 'skipped: no admins') : 'skipped: SMTP_URL is not set' });
      }
      if (rule.webhookUrl && rule.webhookSecretEncrypted && !done.webhook) {
        const result = await sendAttempt({ url: rule.webhookUrl, secret: box.decrypt(rule.webhookSecretEncrypted), deliveryId: payload.id, payload, policy, timeoutMs: config.WEBHOOK_TIMEOUT_MS });
        if (isSuccess(result)) return mark({ webhook: new Date().toISOString() });
        const error = result.error ?? `HTTP ${result.statusCode}`;
        if (attemptNumber() >= ALERT_WEBHOOK_ATTEMPTS) return mark({ webhook: 'failed', webhookError: error });
        throw new Error(`alert webhook ${rule.webhookUrl} failed: ${error}`);
      }
    },
  };
}
