/**
 * Retention (admins): days to keep messages, files, documents and events, each empty for "for
 * ever". The daily retention run deletes what is older (`GET/PUT /v1/settings/retention`); what it
 * deleted is in the audit log as `retention.run`.
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { retentionSettings } from '../../../../core/api/privacy';
import { api } from '../../api/client';
import { Button, Field, FormError, Input, useToast } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

type Retention = z.infer<typeof retentionSettings>;
type Kind = keyof Retention;

const KINDS: { kind: Kind; label: string; help: string }[] = [
  { kind: 'messages', label: 'Messages', help: 'Messages older than this, and closed conversations left empty. Open conversations active since then keep their whole thread.' },
  { kind: 'media', label: 'Files and recordings', help: 'Files received or sent in conversations, call recordings included.' },
  { kind: 'documents', label: 'Knowledge-base documents', help: 'Documents not updated for this long, with their chunks: they no longer answer.' },
  { kind: 'events', label: 'Events and webhook logs', help: 'Platform events and finished webhook deliveries. Analytics totals stay.' },
];

const toForm = (r: Retention) => Object.fromEntries(KINDS.map(({ kind }) => [kind, r[kind] === null ? '' : String(r[kind])])) as Record<Kind, string>;

export function RetentionSection() {
  const toast = useToast();
  const settings = useQuery(() => api.get<Retention>('/v1/settings/retention'), []);
  const [form, setForm] = useState<Record<Kind, string> | null>(null);
  useEffect(() => {
    if (settings.data) setForm(toForm(settings.data));
  }, [settings.data]);
  const save = useSubmit(
    KINDS.map((k) => k.kind),
    async () => {
      const body = Object.fromEntries(KINDS.map(({ kind }) => [kind, form![kind].trim() === '' ? null : Number(form![kind])]));
      settings.setData(await api.put<Retention>('/v1/settings/retention', body));
      toast.success('Retention saved: the next daily run applies it');
    },
    {
      validate: () => {
        const bad = KINDS.find(({ kind }) => form![kind].trim() !== '' && !/^\d+$/.test(form![kind].trim()));
        return bad ? [bad.kind, 'a whole number of days, or empty for ever'] : null;
      },
    },
  );

  return (
    <QueryStatus query={settings} loadingLabel="Loading retention">
      {() =>
        form && (
          <form onSubmit={(e) => void save.submit(e)} noValidate aria-label="Retention" className="pg-form-narrow">
            <p className="pg-muted">How long data is kept, in days; empty keeps it for ever. A daily run deletes what is older and records what it deleted in the audit log.</p>
            {KINDS.map(({ kind, label, help }) => (
              <Field key={kind} label={`${label} (days)`} help={help} error={save.fieldError(kind)}>
                <Input inputMode="numeric" placeholder="for ever" value={form[kind]} onChange={(e) => setForm({ ...form, [kind]: e.target.value })} />
              </Field>
            ))}
            <div className="pg-row">
              <Button type="submit" variant="primary" disabled={save.busy}>
                Save retention
              </Button>
            </div>
            <FormError message={save.errors.form} />
          </form>
        )
      }
    </QueryStatus>
  );
}
