import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AlertComparison, AlertMetric } from '../../core/reports';
import { createdAt, updatedAt, uuidPk } from './common';
import { Flow } from './flow';
import { Tenant } from './tenant';

/**
 * A tenant's alert threshold: a metric over a window (optionally one channel or flow) compared with
 * a threshold, notified to the tenant's admins and/or a webhook signed with its own secret (stored
 * encrypted, shown once), no sooner than `cooldownMinutes` after the rule's previous firing.
 */
export const AlertRule = defineEntity({
  name: 'AlertRule',
  tableName: 'alert_rules',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    name: p.text(),
    metric: p.text().$type<AlertMetric>(),
    comparison: p.text().$type<AlertComparison>(),
    threshold: p.double().runtimeType('number').$type<number>(),
    windowMinutes: p.integer(),
    channel: p.text().nullable(),
    flow: p.manyToOne(Flow).mapToPk().nullable().deleteRule('cascade'),
    notifyAdmins: p.boolean().default(true),
    webhookUrl: p.text().nullable(),
    webhookSecretEncrypted: p.text().nullable().lazy(),
    cooldownMinutes: p.integer().default(60),
    enabled: p.boolean().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type AlertRule = InferEntity<typeof AlertRule>;

/** What a firing's notifications reached, per transition and destination (ISO times, or the last error). */
export type AlertNotified = Partial<Record<'triggered' | 'resolved', { email?: string; webhook?: string; webhookError?: string; event?: string }>>;

/** One firing of a rule: opened when the value crossed the threshold, resolved when it came back. */
export const AlertEvent = defineEntity({
  name: 'AlertEvent',
  tableName: 'alert_events',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    rule: p.manyToOne(AlertRule).mapToPk().deleteRule('cascade'),
    status: p.text().$type<'firing' | 'resolved'>().default('firing'),
    value: p.double().runtimeType('number').$type<number>(),
    threshold: p.double().runtimeType('number').$type<number>(),
    lastValue: p.double().runtimeType('number').$type<number>().nullable(),
    firedAt: createdAt(),
    resolvedAt: p.datetime().nullable(),
    resolvedValue: p.double().runtimeType('number').$type<number>().nullable(),
    notified: p.json<AlertNotified>().default('{}'),
  },
});
export type AlertEvent = InferEntity<typeof AlertEvent>;

/** A weekly report that went out (or is going out): one row per scheduled run, so a retry sends nothing twice. */
export const ReportSend = defineEntity({
  name: 'ReportSend',
  tableName: 'report_sends',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    key: p.text(),
    status: p.text().$type<'sending' | 'sent'>().default('sending'),
    recipients: p.json<string[]>().default('[]'),
    sentAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type ReportSend = InferEntity<typeof ReportSend>;
