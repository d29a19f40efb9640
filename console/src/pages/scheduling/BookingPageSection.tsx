/**
 * The public booking page setting (admins): on or off, its title and intro, and the sites that may
 * show it in an iframe. Shows the page's address and the iframe snippet to paste.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { Button, Checkbox, Field, FormError, Input, Textarea, useToast } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';
import type { BookingPageView } from './types';

export function BookingPageSection() {
  const toast = useToast();
  const setting = useQuery(() => api.get<BookingPageView>('/v1/settings/booking-page'), []);
  const [form, setForm] = useState({ enabled: false, title: '', intro: '', embedOrigins: '' });
  useEffect(() => {
    if (setting.data) setForm({ enabled: setting.data.enabled, title: setting.data.title, intro: setting.data.intro, embedOrigins: setting.data.embedOrigins.join('\n') });
  }, [setting.data]);
  const save = useSubmit(['title', 'intro', 'embedOrigins'], async () => {
    const embedOrigins = form.embedOrigins.split(/\s+/).filter(Boolean);
    setting.setData(await api.put<BookingPageView>('/v1/settings/booking-page', { ...form, embedOrigins }));
    toast.success('Booking page saved');
  });
  const url = setting.data ? new URL(setting.data.path, window.location.href).href : '';

  return (
    <QueryStatus query={setting} loadingLabel="Loading the booking page setting">
      {() => (
        <form className="pg-form-narrow" onSubmit={(e) => void save.submit(e)} noValidate>
          <Field label="Public booking page">
            <Checkbox label="On: anyone with the link can see the active services and book a free slot" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} />
          </Field>
          <Field label="Title" error={save.fieldError('title')}>
            <Input value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
          </Field>
          <Field label="Intro" error={save.fieldError('intro')}>
            <Textarea rows={2} value={form.intro} onChange={(e) => setForm({ ...form, intro: e.target.value })} />
          </Field>
          <Field label="Sites that may embed it" help="One origin per line, such as https://shop.example.com; empty allows any site." error={save.fieldError('embedOrigins')}>
            <Textarea rows={3} value={form.embedOrigins} onChange={(e) => setForm({ ...form, embedOrigins: e.target.value })} />
          </Field>
          <FormError message={save.errors.form} />
          <div className="pg-row">
            <Button type="submit" variant="primary" disabled={save.busy}>
              Save
            </Button>
          </div>
          {setting.data?.enabled && (
            <div className="pg-section">
              <p>
                Page: <a href={url} target="_blank" rel="noreferrer" className="pg-mono">{url}</a>
              </p>
              <p className="pg-muted">To embed it:</p>
              <pre className="pg-pre">{`<iframe src="${url}" title="Book an appointment" style="width:100%;min-height:720px;border:0"></iframe>`}</pre>
            </div>
          )}
        </form>
      )}
    </QueryStatus>
  );
}
