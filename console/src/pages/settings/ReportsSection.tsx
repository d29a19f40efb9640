/**
 * The weekly email report (admins): on or off, weekday and local hour (in the workspace timezone),
 * recipients (users of the workspace and other addresses), the schedule as Temporal describes it,
 * a "send now" preview and the last reports sent.
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { userList } from '../../../../core/api/admin';
import type { ReportSettingsView, sendReportNowResult } from '../../../../core/api/reports';
import { REPORT_WEEKDAYS, type ReportWeekday } from '../../../../core/reports';
import { api } from '../../api/client';
import { Badge, Button, Checkbox, Field, Select, Table, Textarea, useToast } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit, useToastAction } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

const HOURS = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` }));
const DAYS = REPORT_WEEKDAYS.map((d) => ({ value: d, label: d[0]!.toUpperCase() + d.slice(1) }));
const splitEmails = (text: string) => text.split(/[\s,;]+/).map((e) => e.trim()).filter(Boolean);

export function ReportsSection() {
  const toast = useToast();
  const settings = useQuery(() => api.get<ReportSettingsView>('/v1/settings/reports'), []);
  const users = useQuery(async () => (await api.get<z.infer<typeof userList>>('/v1/users')).items, []);
  const [form, setForm] = useState({ enabled: false, weekday: 'monday' as ReportWeekday, hour: 8, userIds: [] as string[], emails: '' });
  useEffect(() => {
    const s = settings.data;
    if (s) setForm({ enabled: s.enabled, weekday: s.weekday, hour: s.hour, userIds: s.userIds, emails: s.emails.join('\n') });
  }, [settings.data]);
  const { submit, busy, errors, fieldError } = useSubmit(['enabled', 'weekday', 'hour', 'userIds', 'emails'], async () => {
    const saved = await api.put<ReportSettingsView>('/v1/settings/reports', { ...form, emails: splitEmails(form.emails) });
    settings.setData(saved);
    toast.success(saved.enabled ? 'Weekly report scheduled' : 'Weekly report turned off');
  });
  const sendNow = useToastAction();
  const toggleUser = (id: string, on: boolean) => setForm({ ...form, userIds: on ? [...form.userIds, id] : form.userIds.filter((u) => u !== id) });

  return (
    <QueryStatus query={settings} loadingLabel="Loading report settings">
      {(s) =>
        s && (
          <form className="pg-col" onSubmit={(e) => void submit(e)} aria-label="Weekly report">
            <p className="pg-muted">
              A weekly email with the last 7 days against the 7 before: conversations, messages, resolution and handoff rates, first response time, cost, errors, top flows and campaign sends. Times are in the
              workspace timezone ({s.timezone}).
            </p>
            <Checkbox label="Send the weekly report" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} />
            <div className="pg-row">
              <Field label="Day" error={fieldError('weekday')}>
                <Select value={form.weekday} options={DAYS} onChange={(e) => setForm({ ...form, weekday: e.target.value as ReportWeekday })} />
              </Field>
              <Field label={`Hour (${s.timezone})`} error={fieldError('hour')}>
                <Select value={String(form.hour)} options={HOURS} onChange={(e) => setForm({ ...form, hour: Number(e.target.value) })} />
              </Field>
            </div>
            <Field label="Users" error={fieldError('userIds')}>
              <div className="pg-row">
                {(users.data ?? []).map((u) => (
                  <Checkbox key={u.id} label={u.email} checked={form.userIds.includes(u.id)} onChange={(e) => toggleUser(u.id, e.target.checked)} />
                ))}
              </div>
            </Field>
            <Field label="Other addresses" help="One per line, or separated by commas." error={fieldError('emails')}>
              <Textarea rows={3} value={form.emails} onChange={(e) => setForm({ ...form, emails: e.target.value })} />
            </Field>
            {errors.form && <p className="pg-error-text">{errors.form}</p>}
            <div className="pg-row">
              <Button type="submit" variant="primary" disabled={busy}>
                Save
              </Button>
              <Button
                disabled={sendNow.busy}
                onClick={() =>
                  void sendNow.run('send', async () => {
                    const sent = await api.post<z.infer<typeof sendReportNowResult>>('/v1/settings/reports/send-now', {});
                    toast.success(sent.skipped ? `Not sent: ${sent.skipped}` : `Report sent to ${sent.sentTo.join(', ')}`);
                    await settings.reload();
                  })
                }
              >
                Send now
              </Button>
              <ScheduleState schedule={s.schedule} />
            </div>
            <Table
              caption="Reports sent"
              rows={s.recentSends}
              rowKey={(r) => r.key}
              empty="No report sent yet."
              columns={[
                { key: 'sentAt', header: 'Sent', render: (r) => formatDateTime(r.sentAt) },
                { key: 'recipients', header: 'To', render: (r) => r.recipients.join(', ') },
                { key: 'key', header: 'Run', render: (r) => <a href={`#/runs/${encodeURIComponent(r.key)}`}>{r.key.includes(':now-') ? 'preview' : 'scheduled'}</a> },
              ]}
            />
          </form>
        )
      }
    </QueryStatus>
  );
}

function ScheduleState({ schedule }: { schedule: ReportSettingsView['schedule'] }) {
  if (!schedule) return <span className="pg-muted">Not scheduled</span>;
  if (schedule.paused) return <Badge tone="warning">paused</Badge>;
  return <span className="pg-muted">Next: {schedule.nextRuns.slice(0, 2).map(formatDateTime).join(', ')}</span>;
}
