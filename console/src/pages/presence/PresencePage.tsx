/**
 * The presence grader: start an audit (a website, optional listing profiles), the audits so far
 * with each site's grade over time, and — for admins — weekly or monthly re-audits of the
 * tenant's own site (a Temporal Schedule) and the public grader page.
 */
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { z } from 'zod';
import type { auditList } from '../../../../core/api/presence';
import type { PresenceScheduleSettings, PublicGraderSettings } from '../../../../core/presence-surface';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { navigate } from '../../app/router';
import { Button, Checkbox, Field, FormError, Input, Panel, Select, Table, useToast } from '../../ui';
import { Chart } from '../shared/Figures';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';
import type { Audit } from './ReportParts';
import '../pages.css';
import './presence.css';

type Summary = z.infer<typeof auditList>['items'][number];
interface ScheduleView {
  schedule: PresenceScheduleSettings | null;
  paused: boolean;
  nextRuns: string[];
}

function StartAudit() {
  const [url, setUrl] = useState('');
  const [google, setGoogle] = useState('');
  const [yelp, setYelp] = useState('');
  const [facebook, setFacebook] = useState('');
  const form = useSubmit(['url', 'profiles'], async () => {
    const profiles = Object.fromEntries(Object.entries({ google, yelp, facebook }).filter(([, v]) => v.trim()));
    const audit = await api.post<Audit>('/v1/presence/audits', { url, profiles });
    navigate(`/presence/${audit.id}`);
  }, { validate: () => (url.trim() ? null : ['url', 'Enter the website to audit']) });
  return (
    <form onSubmit={form.submit} aria-label="Start an audit" className="pg-form-narrow">
      <Field label="Website" error={form.fieldError('url')} help="The business's homepage, e.g. https://example.com">
        <Input value={url} onChange={(e) => setUrl(e.target.value)} inputMode="url" />
      </Field>
      <div className="pg-filters">
        <Field label="Google place id or Maps URL (optional)" error={form.fieldError('profiles')}>
          <Input value={google} onChange={(e) => setGoogle(e.target.value)} />
        </Field>
        <Field label="Yelp business URL (optional)">
          <Input value={yelp} onChange={(e) => setYelp(e.target.value)} />
        </Field>
        <Field label="Facebook page URL (optional)">
          <Input value={facebook} onChange={(e) => setFacebook(e.target.value)} />
        </Field>
      </div>
      <FormError message={form.errors.form} />
      <Button type="submit" variant="primary" disabled={form.busy}>
        Run audit
      </Button>
    </form>
  );
}

function History({ items }: { items: Summary[] }) {
  const sites = [...new Set(items.map((i) => i.url))];
  const [site, setSite] = useState<string>('');
  const shown = site || sites[0] || '';
  const points = items
    .filter((i) => i.url === shown && i.overall !== null)
    .reverse()
    .map((i) => ({ at: new Date(i.createdAt).toLocaleDateString(), score: i.overall, grade: i.grade }));
  return (
    <>
      {sites.length > 1 && (
        <Field label="Website">
          <Select value={shown} onChange={(e) => setSite(e.target.value)} options={sites.map((s) => ({ value: s, label: s }))} />
        </Field>
      )}
      {points.length > 0 && (
        <Chart title={`Score over time: ${shown}`}>
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="at" />
            <YAxis domain={[0, 100]} />
            <Tooltip />
            <Line type="monotone" dataKey="score" name="Score" stroke="var(--color-primary)" isAnimationActive={false} />
          </LineChart>
        </Chart>
      )}
      <Table
        caption="Audits"
        rows={items}
        rowKey={(r) => r.id}
        empty="No audits yet."
        onRowClick={(r) => navigate(`/presence/${r.id}`)}
        columns={[
          { key: 'url', header: 'Website' },
          { key: 'createdAt', header: 'Started', render: (r) => formatDateTime(r.createdAt) },
          { key: 'status', header: 'Status' },
          { key: 'grade', header: 'Grade', render: (r) => (r.grade ? `${r.grade} (${r.overall})` : '–') },
          { key: 'createdBy', header: 'By', render: (r) => (r.createdBy?.startsWith('schedule:') ? 'schedule' : (r.createdBy ?? '')) },
        ]}
      />
    </>
  );
}

function ScheduleSetting() {
  const toast = useToast();
  const current = useQuery(() => api.get<ScheduleView>('/v1/settings/presence-schedule'), []);
  const [draft, setDraft] = useState<PresenceScheduleSettings | null>(null);
  const value = draft ?? current.data?.schedule ?? { enabled: false, cadence: 'weekly' as const, websiteUrl: '', profiles: {} };
  const form = useSubmit(['websiteUrl', 'cadence', 'enabled'], async () => {
    current.setData(await api.put<ScheduleView>('/v1/settings/presence-schedule', value));
    setDraft(null);
    toast.success(value.enabled ? `Re-audits ${value.cadence}` : 'Re-audits off');
  });
  return (
    <form onSubmit={form.submit} aria-label="Scheduled re-audits" className="pg-form-narrow">
      <Checkbox label="Re-audit my website on a schedule" checked={value.enabled} onChange={(e) => setDraft({ ...value, enabled: e.target.checked })} />
      <div className="pg-filters">
        <Field label="Website" error={form.fieldError('websiteUrl')}>
          <Input value={value.websiteUrl} onChange={(e) => setDraft({ ...value, websiteUrl: e.target.value })} />
        </Field>
        <Field label="How often" error={form.fieldError('cadence')}>
          <Select value={value.cadence} onChange={(e) => setDraft({ ...value, cadence: e.target.value as 'weekly' | 'monthly' })} options={[{ value: 'weekly', label: 'Weekly (Monday 06:00)' }, { value: 'monthly', label: 'Monthly (the 1st, 06:00)' }]} />
        </Field>
      </div>
      <FormError message={form.errors.form} />
      <div className="pg-row">
        <Button type="submit" disabled={form.busy}>
          Save schedule
        </Button>
        <span className="pg-muted" aria-live="polite">
          {current.data?.nextRuns.length ? `Next: ${current.data.nextRuns.map(formatDateTime).join(', ')}` : 'No run scheduled'}
        </span>
      </div>
    </form>
  );
}

function GraderPageSetting() {
  const toast = useToast();
  const current = useQuery(() => api.get<PublicGraderSettings & { path: string }>('/v1/settings/public-grader'), []);
  const form = useSubmit(['enabled'], async () => {
    const next = await api.put<PublicGraderSettings & { path: string }>('/v1/settings/public-grader', { enabled: !current.data!.enabled, title: current.data!.title, intro: current.data!.intro, consentText: current.data!.consentText });
    current.setData(next);
    toast.success(next.enabled ? 'Public grader page on' : 'Public grader page off');
  });
  return (
    <QueryStatus query={current} loadingLabel="Loading the grader page setting">
      {(s) =>
        s && (
          <form onSubmit={form.submit} className="pg-row" aria-label="Public grader page">
            <span>
              {s.enabled ? (
                <>
                  On at{' '}
                  <a href={`${location.origin}${s.path}`} target="_blank" rel="noreferrer">
                    {location.origin}
                    {s.path}
                  </a>
                  : visitors get their report by email and become contacts with their consent.
                </>
              ) : (
                'Off: turn it on to collect leads with a free website grade.'
              )}
            </span>
            <Button type="submit" disabled={form.busy}>
              {s.enabled ? 'Turn off' : 'Turn on'}
            </Button>
            <FormError message={form.errors.form} />
          </form>
        )
      }
    </QueryStatus>
  );
}

export function PresencePage() {
  const { user } = useAuth();
  const audits = useQuery(async () => (await api.get<z.infer<typeof auditList>>('/v1/presence/audits?limit=100')).items, []);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Presence grader</h1>
      </div>
      {can.market(user?.role) && (
        <Panel title="Audit a website">
          <StartAudit />
        </Panel>
      )}
      <Panel title="History">
        <QueryStatus query={audits} loadingLabel="Loading audits">
          {(items = []) => <History items={items} />}
        </QueryStatus>
      </Panel>
      {can.administer(user?.role) && (
        <>
          <Panel title="Scheduled re-audits">
            <ScheduleSetting />
          </Panel>
          <Panel title="Public grader page">
            <GraderPageSetting />
          </Panel>
        </>
      )}
    </div>
  );
}
