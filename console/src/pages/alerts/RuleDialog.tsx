/** Add or change an alert rule: metric, comparison and threshold, window, optional channel or flow, destinations, cooldown. */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { alertRuleWithSecret, alertRuleWithValue } from '../../../../core/api/reports';
import type { flowList } from '../../../../core/api/flows';
import { CHANNELS } from '../../../../core/channels';
import { ALERT_COMPARISONS, ALERT_METRIC_LABELS, ALERT_METRICS, COMPARISON_SIGNS, type AlertComparison, type AlertMetric } from '../../../../core/reports';
import { api } from '../../api/client';
import { Checkbox, Field, FormDialog, Input, Select, useToast } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

type Rule = z.infer<typeof alertRuleWithValue>;
const WINDOWS = [15, 60, 360, 1440].map((m) => ({ value: String(m), label: m < 60 ? `last ${m} min` : `last ${m / 60} h` }));
const blank = { name: '', metric: 'handoff_rate' as AlertMetric, comparison: 'gt' as AlertComparison, threshold: '', windowMinutes: '60', channel: '', flowId: '', notifyAdmins: true, webhookUrl: '', cooldownMinutes: '60', enabled: true };

export function RuleDialog({ rule, open, onClose, onSaved }: { rule: Rule | null; open: boolean; onClose: () => void; onSaved: (r: Partial<z.infer<typeof alertRuleWithSecret>>) => void }) {
  const toast = useToast();
  const flows = useQuery(async () => (await api.get<z.infer<typeof flowList>>('/v1/flows')).flows, [], { enabled: open });
  const [form, setForm] = useState(blank);
  useEffect(() => {
    if (!open) return;
    setForm(
      rule
        ? {
            ...rule,
            // A rate is entered as a percentage.
            threshold: String(rule.metric === 'handoff_rate' ? rule.threshold * 100 : rule.threshold),
            windowMinutes: String(rule.windowMinutes),
            channel: rule.channel ?? '',
            flowId: rule.flowId ?? '',
            webhookUrl: rule.webhookUrl ?? '',
            cooldownMinutes: String(rule.cooldownMinutes),
          }
        : blank,
    );
  }, [open, rule]);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm({ ...form, [key]: value });
  const { submit, busy, errors, fieldError } = useSubmit(
    ['name', 'metric', 'comparison', 'threshold', 'windowMinutes', 'channel', 'flowId', 'notifyAdmins', 'webhookUrl', 'cooldownMinutes'],
    async () => {
      const body = {
        name: form.name.trim(),
        metric: form.metric,
        comparison: form.comparison,
        threshold: form.metric === 'handoff_rate' ? Number(form.threshold) / 100 : Number(form.threshold),
        windowMinutes: Number(form.windowMinutes),
        channel: form.channel || null,
        flowId: form.flowId || null,
        notifyAdmins: form.notifyAdmins,
        webhookUrl: form.webhookUrl.trim() || null,
        cooldownMinutes: Number(form.cooldownMinutes),
        enabled: form.enabled,
      };
      const saved = rule ? await api.patch<Partial<z.infer<typeof alertRuleWithSecret>>>(`/v1/alerts/rules/${rule.id}`, body) : await api.post<z.infer<typeof alertRuleWithSecret>>('/v1/alerts/rules', body);
      toast.success(rule ? `Saved ${body.name}` : `Created ${body.name}`);
      onSaved(saved);
    },
    { validate: () => (form.threshold.trim() === '' || Number.isNaN(Number(form.threshold)) ? ['threshold', 'Enter a number.'] : null) },
  );
  const scoped = form.metric !== 'webhook_failures';

  return (
    <FormDialog title={rule ? 'Edit alert rule' : 'New alert rule'} open={open} onClose={onClose} onSubmit={() => void submit()} submitLabel={rule ? 'Save' : 'Create rule'} busy={busy} error={errors.form}>
      <Field label="Name" error={fieldError('name')}>
        <Input value={form.name} onChange={(e) => set('name', e.target.value)} autoFocus />
      </Field>
      <Field label="Metric" error={fieldError('metric')}>
        <Select value={form.metric} options={ALERT_METRICS.map((m) => ({ value: m, label: ALERT_METRIC_LABELS[m] }))} onChange={(e) => set('metric', e.target.value as AlertMetric)} />
      </Field>
      <div className="pg-row">
        <Field label="Is" error={fieldError('comparison')}>
          <Select value={form.comparison} options={ALERT_COMPARISONS.map((c) => ({ value: c, label: COMPARISON_SIGNS[c] }))} onChange={(e) => set('comparison', e.target.value as AlertComparison)} />
        </Field>
        <Field label={form.metric === 'handoff_rate' ? 'Threshold (%)' : form.metric === 'spend' ? 'Threshold (USD)' : 'Threshold'} error={fieldError('threshold')}>
          <Input inputMode="decimal" value={form.threshold} onChange={(e) => set('threshold', e.target.value)} />
        </Field>
        <Field label="Window" error={fieldError('windowMinutes')}>
          <Select value={form.windowMinutes} options={WINDOWS.some((w) => w.value === form.windowMinutes) ? WINDOWS : [...WINDOWS, { value: form.windowMinutes, label: `last ${form.windowMinutes} min` }]} onChange={(e) => set('windowMinutes', e.target.value)} />
        </Field>
      </div>
      {scoped && (
        <div className="pg-row">
          <Field label="Channel" error={fieldError('channel')}>
            <Select value={form.channel} options={[{ value: '', label: 'All channels' }, ...CHANNELS.map((c) => ({ value: c, label: c }))]} onChange={(e) => set('channel', e.target.value)} />
          </Field>
          <Field label="Flow" error={fieldError('flowId')}>
            <Select value={form.flowId} options={[{ value: '', label: 'All flows' }, ...(flows.data ?? []).map((f) => ({ value: f.id, label: f.name }))]} onChange={(e) => set('flowId', e.target.value)} />
          </Field>
        </div>
      )}
      <Checkbox label="Email the workspace admins" checked={form.notifyAdmins} onChange={(e) => set('notifyAdmins', e.target.checked)} />
      <Field label="Webhook URL" help="Optional: a signed POST (alert.triggered / alert.resolved) to this URL." error={fieldError('webhookUrl') ?? fieldError('notifyAdmins')}>
        <Input type="url" value={form.webhookUrl} onChange={(e) => set('webhookUrl', e.target.value)} placeholder="https://example.com/alerts" />
      </Field>
      <div className="pg-row">
        <Field label="Cooldown (minutes)" help="No new firing this soon after the last one." error={fieldError('cooldownMinutes')}>
          <Input inputMode="numeric" value={form.cooldownMinutes} onChange={(e) => set('cooldownMinutes', e.target.value)} />
        </Field>
        <Checkbox label="Enabled" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
      </div>
    </FormDialog>
  );
}
