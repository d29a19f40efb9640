/**
 * `/v1/alerts/*`: alert rules (thresholds on handoff rate, failed sends, webhook failures and LLM
 * spend over a window) and their firings. Admins only, reads included (a rule shows its webhook
 * URL), by the /v1/alerts rule of plugins/roles.ts. The rules
 * are evaluated by the `alertEvaluation` workflow every ALERT_EVALUATION_SECONDS; the list answers
 * each rule's value now, computed the same way.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { alertEventList, alertEventQuery, alertRuleList, alertRuleSchema, alertRuleWithSecret, alertRuleWithValue, createAlertRuleBody, updateAlertRuleBody } from '../../core/api/reports';
import { AppError } from '../../core/errors';
import { AlertRule, Flow, type AlertEvent } from '../../db/entities';
import { alertMetricValue, getAlertRule, listAlertEvents, listAlertRules } from '../../db/repos/alerts';
import { secretBoxFromConfig } from '../../db/secrets';
import { newWebhookSecret } from '../../webhooks/signature';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';
import { iso } from '../services/serialize';

const ruleDto = (r: AlertRule, firing: boolean) => ({
  id: r.id,
  name: r.name,
  metric: r.metric,
  comparison: r.comparison,
  threshold: r.threshold,
  windowMinutes: r.windowMinutes,
  channel: r.channel ?? null,
  flowId: r.flow ?? null,
  notifyAdmins: r.notifyAdmins,
  webhookUrl: r.webhookUrl ?? null,
  cooldownMinutes: r.cooldownMinutes,
  enabled: r.enabled,
  firing,
  createdAt: iso(r.createdAt)!,
  updatedAt: iso(r.updatedAt)!,
});

const eventDto = (e: AlertEvent) => ({
  id: e.id,
  ruleId: e.rule,
  status: e.status,
  value: e.value,
  threshold: e.threshold,
  lastValue: e.lastValue ?? null,
  firedAt: iso(e.firedAt)!,
  resolvedAt: iso(e.resolvedAt),
  resolvedValue: e.resolvedValue ?? null,
  notified: e.notified as Record<string, Record<string, string>>,
});

export const alertRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['alerts'];
    const box = () => secretBoxFromConfig(deps.config);

    async function requireRule(em: Parameters<typeof getAlertRule>[0], tenantId: string, id: string) {
      const rule = await getAlertRule(em, tenantId, id);
      if (!rule) throw new AppError('not_found', 'alert rule not found', { field: 'id' });
      return rule;
    }
    async function checkFlow(em: Parameters<typeof getAlertRule>[0], tenantId: string, flowId: string | null | undefined) {
      if (flowId && !(await em.findOne(Flow, { tenant: tenantId, id: flowId }))) throw new AppError('not_found', 'flow not found', { field: 'flowId' });
    }
    const firingRules = async (em: Parameters<typeof getAlertRule>[0], tenantId: string) =>
      new Set((await em.getConnection().execute<{ rule_id: string }[]>(`select rule_id from alert_events where tenant_id = ? and status = 'firing'`, [tenantId])).map((r) => r.rule_id));

    app.get('/v1/alerts/rules', { schema: { tags, summary: 'Alert rules, each with its metric’s value now and whether it is firing', response: { 200: alertRuleList, ...errorResponses } } }, async (request) => {
      const rules = await listAlertRules(request.em, request.tenantId);
      const firing = await firingRules(request.em, request.tenantId);
      const now = new Date();
      const items = [];
      for (const r of rules) {
        const currentValue = await alertMetricValue(request.em, { tenantId: request.tenantId, metric: r.metric, windowMinutes: r.windowMinutes, channel: r.channel, flowId: r.flow }, now);
        items.push({ ...ruleDto(r, firing.has(r.id)), currentValue });
      }
      return { items };
    });

    app.post(
      '/v1/alerts/rules',
      { schema: { tags, summary: 'Create an alert rule; with a webhookUrl the response is the only time its signing secret is shown', body: createAlertRuleBody, response: { 201: alertRuleWithSecret, ...errorResponses } } },
      async (request, reply) => {
        const { flowId, ...body } = request.body;
        await checkFlow(request.em, request.tenantId, flowId);
        const secret = body.webhookUrl ? newWebhookSecret() : null;
        const rule = request.em.create(AlertRule, { tenant: request.tenantId, ...body, flow: flowId, webhookSecretEncrypted: secret ? box().encrypt(secret) : null });
        await request.em.flush();
        return reply.status(201).send({ ...ruleDto(rule, false), webhookSecret: secret });
      },
    );

    app.get(
      '/v1/alerts/rules/:id',
      { schema: { tags, summary: 'An alert rule (never its webhook secret) with its value now', params: uuidParam, response: { 200: alertRuleWithValue, ...errorResponses } } },
      async (request) => {
        const r = await requireRule(request.em, request.tenantId, request.params.id);
        const firing = await firingRules(request.em, request.tenantId);
        const currentValue = await alertMetricValue(request.em, { tenantId: request.tenantId, metric: r.metric, windowMinutes: r.windowMinutes, channel: r.channel, flowId: r.flow }, new Date());
        return { ...ruleDto(r, firing.has(r.id)), currentValue };
      },
    );

    app.patch(
      '/v1/alerts/rules/:id',
      {
        schema: {
          tags,
          summary: 'Change an alert rule; `rotateSecret: true` (or a first webhookUrl) answers the new webhook secret',
          params: uuidParam,
          body: updateAlertRuleBody,
          response: { 200: alertRuleWithSecret.partial({ webhookSecret: true }), ...errorResponses },
        },
      },
      async (request) => {
        const rule = await requireRule(request.em, request.tenantId, request.params.id);
        const before = ruleDto(rule, false);
        const { rotateSecret, flowId, ...rest } = request.body;
        await checkFlow(request.em, request.tenantId, flowId);
        const merged = { ...before, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
        if (!merged.notifyAdmins && !merged.webhookUrl) throw new AppError('validation_failed', 'an alert needs a destination: notifyAdmins or a webhookUrl', { field: 'notifyAdmins' });
        if (merged.metric === 'handoff_rate' && merged.threshold > 1) throw new AppError('validation_failed', 'a handoff rate threshold is a fraction between 0 and 1', { field: 'threshold' });
        const needsSecret = !!merged.webhookUrl && (rotateSecret || !rule.webhookSecretEncrypted);
        const secret = needsSecret ? newWebhookSecret() : undefined;
        request.em.assign(rule, {
          ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
          ...(flowId !== undefined ? { flow: flowId } : {}),
          ...(secret ? { webhookSecretEncrypted: box().encrypt(secret) } : {}),
        });
        await request.em.flush();
        const after = ruleDto(rule, false);
        recordChange(request, { targetType: 'alert_rule', targetId: rule.id, before, after });
        return { ...after, firing: (await firingRules(request.em, request.tenantId)).has(rule.id), ...(secret ? { webhookSecret: secret } : {}) };
      },
    );

    app.delete('/v1/alerts/rules/:id', { schema: { tags, summary: 'Delete an alert rule and its firing history', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      const rule = await requireRule(request.em, request.tenantId, request.params.id);
      recordChange(request, { targetType: 'alert_rule', targetId: rule.id, before: ruleDto(rule, false), after: {} });
      await request.em.remove(rule).flush();
      return reply.status(204).send(null);
    });

    app.get(
      '/v1/alerts/events',
      { schema: { tags, summary: 'Firing history, newest first: value and threshold, when it fired and resolved, what was notified', querystring: alertEventQuery, response: { 200: alertEventList, ...errorResponses } } },
      async (request) => {
        if (request.query.ruleId) await requireRule(request.em, request.tenantId, request.query.ruleId);
        return { items: (await listAlertEvents(request.em, request.tenantId, request.query)).map(eventDto) };
      },
    );
  };
