/**
 * Alerts (admins): the rules with their metric's value now (refreshed every 30 s) and whether they
 * are firing, a dialog to add or change one (its webhook secret shown once), and the firing history.
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { alertEventList, alertRuleList, alertRuleWithSecret, alertRuleWithValue } from '../../../../core/api/reports';
import { ALERT_METRIC_LABELS, COMPARISON_SIGNS } from '../../../../core/reports';
import { api } from '../../api/client';
import { Badge, Button, Panel, Table, actionsColumn, useToast } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { ShownOnceDialog } from '../shared/ShownOnceDialog';
import { useToastAction } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { usePolling, useQuery } from '../shared/useQuery';
import { RuleDialog } from './RuleDialog';
import '../pages.css';

type Rule = z.infer<typeof alertRuleWithValue>;
type AlertEvent = z.infer<typeof alertEventList>['items'][number];

export const formatValue = (metric: Rule['metric'], v: number | null) => (v === null ? '–' : metric === 'handoff_rate' ? `${(v * 100).toFixed(1)}%` : metric === 'spend' ? `$${v.toFixed(4)}` : String(v));
const windowLabel = (m: number) => (m % 60 === 0 ? `${m / 60} h` : `${m} min`);
export const conditionOf = (r: Pick<Rule, 'metric' | 'comparison' | 'threshold' | 'windowMinutes'>) =>
  `${ALERT_METRIC_LABELS[r.metric]} ${COMPARISON_SIGNS[r.comparison]} ${formatValue(r.metric, r.threshold)} over ${windowLabel(r.windowMinutes)}`;

function notifiedText(e: AlertEvent): string {
  return (['triggered', 'resolved'] as const)
    .filter((t) => e.notified[t])
    .map((t) => `${t}: ${Object.entries(e.notified[t]!).filter(([k]) => k !== 'event').map(([k, v]) => (v.startsWith('skipped') || v === 'failed' ? `${k} ${v}` : k)).join(', ') || 'event'}`)
    .join('; ');
}

export function AlertsPage() {
  const toast = useToast();
  const rules = useQuery(async () => (await api.get<z.infer<typeof alertRuleList>>('/v1/alerts/rules')).items, []);
  const events = useQuery(async () => (await api.get<z.infer<typeof alertEventList>>('/v1/alerts/events?limit=100')).items, []);
  usePolling(() => Promise.all([rules.reload(), events.reload()]), 30_000, true);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const action = useToastAction();
  const remove = useConfirmAction<Rule>({
    title: 'Delete this alert rule?',
    message: (r) => `"${r.name}" stops being evaluated and its firing history is deleted.`,
    confirmLabel: 'Delete rule',
    action,
    keyOf: (r) => r.id,
    run: async (r) => {
      await api.del(`/v1/alerts/rules/${r.id}`);
      await Promise.all([rules.reload(), events.reload()]);
      toast.success(`Deleted ${r.name}`);
    },
  });
  const names = new Map((rules.data ?? []).map((r) => [r.id, r.name]));

  return (
    <div className="page">
      <div className="page-head">
        <h1>Alerts</h1>
        <Button variant="primary" onClick={() => setEditing('new')}>
          New rule
        </Button>
      </div>
      <Panel>
        <p className="pg-muted">Rules are checked every minute. A rule fires once when its value crosses the threshold and tells its destinations again once when it resolves.</p>
        <QueryStatus query={rules} loadingLabel="Loading alert rules">
          {(data = []) => (
            <Table
              caption="Alert rules"
              rows={data}
              rowKey={(r) => r.id}
              empty="No alert rules yet."
              columns={[
                { key: 'name', header: 'Rule' },
                { key: 'condition', header: 'Condition', render: (r) => `${conditionOf(r)}${r.channel ? ` · ${r.channel}` : ''}` },
                { key: 'currentValue', header: 'Now', render: (r) => formatValue(r.metric, r.currentValue) },
                { key: 'state', header: 'State', render: (r) => (!r.enabled ? <Badge>off</Badge> : r.firing ? <Badge tone="danger">firing</Badge> : <Badge tone="success">ok</Badge>) },
                { key: 'to', header: 'Notifies', render: (r) => [r.notifyAdmins ? 'admins' : '', r.webhookUrl ?? ''].filter(Boolean).join(', ') },
                actionsColumn((r: Rule) => (
                  <div className="pg-row pg-row-end">
                    <Button size="sm" onClick={() => setEditing(r)}>
                      Edit
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => remove.ask(r)} aria-label={`Delete ${r.name}`}>
                      Delete
                    </Button>
                  </div>
                )),
              ]}
            />
          )}
        </QueryStatus>
      </Panel>
      <Panel>
        <h2>Firing history</h2>
        <QueryStatus query={events} loadingLabel="Loading firing history">
          {(data = []) => (
            <Table
              caption="Firing history"
              rows={data}
              rowKey={(e) => e.id}
              empty="Nothing has fired yet."
              columns={[
                { key: 'rule', header: 'Rule', render: (e) => names.get(e.ruleId) ?? e.ruleId },
                { key: 'status', header: 'Status', render: (e) => (e.status === 'firing' ? <Badge tone="danger">firing</Badge> : <Badge tone="success">resolved</Badge>) },
                { key: 'value', header: 'Value / threshold', render: (e) => `${e.value} / ${e.threshold}` },
                { key: 'firedAt', header: 'Fired', render: (e) => formatDateTime(e.firedAt) },
                { key: 'resolvedAt', header: 'Resolved', render: (e) => (e.resolvedAt ? `${formatDateTime(e.resolvedAt)} (${e.resolvedValue})` : '–') },
                { key: 'notified', header: 'Notified', render: notifiedText },
              ]}
            />
          )}
        </QueryStatus>
      </Panel>
      <RuleDialog
        rule={editing === 'new' ? null : editing}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onSaved={(saved: Partial<z.infer<typeof alertRuleWithSecret>>) => {
          setEditing(null);
          if (saved.webhookSecret) setSecret(saved.webhookSecret);
          void rules.reload();
        }}
      />
      <ShownOnceDialog title="Webhook signing secret" label="Signing secret" value={secret} onClose={() => setSecret(null)}>
        <p className="pg-muted">Alert webhooks are signed like outbound webhooks (Switchboard-Signature). This secret is shown only now.</p>
      </ShownOnceDialog>
      {remove.dialog}
    </div>
  );
}
