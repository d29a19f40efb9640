/** Add or edit a contact: names, addresses, tags, zone, locale, attributes (key = value lines) and consent per channel. */
import { useEffect, useState } from 'react';
import { CAMPAIGN_CHANNELS } from '../../../../core/campaigns/channels';
import { api } from '../../api/client';
import { Button, Field, FormDialog, Input, Select, Textarea } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { can, useAuth } from '../../app/auth';
import { ContactPrivacyActions } from './ContactPrivacy';
import { CHANNEL_LABELS, type CampaignChannel, type ConsentStatus, type ContactDto } from './types';

const FIELDS = ['firstName', 'lastName', 'email', 'phone', 'tags', 'timezone', 'locale', 'attributes', 'consent'] as const;
type Form = Record<Exclude<(typeof FIELDS)[number], 'consent'>, string>;
const EMPTY: Form = { firstName: '', lastName: '', email: '', phone: '', tags: '', timezone: '', locale: '', attributes: '' };

const attributesText = (a: Record<string, unknown>) =>
  Object.entries(a)
    .map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');

function parseAttributes(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0) return `"${line}" is not key = value`;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

export function ContactDialog({ contact, readOnly, onClose, onSaved }: { contact: ContactDto | 'new' | null; readOnly: boolean; onClose: () => void; onSaved: () => void }) {
  const editing = contact && contact !== 'new' ? contact : null;
  const { user } = useAuth();
  const [form, setForm] = useState<Form>(EMPTY);
  const [consent, setConsent] = useState<Partial<Record<CampaignChannel, ConsentStatus>>>({});
  useEffect(() => {
    if (!contact) return;
    setForm(
      editing
        ? { firstName: editing.firstName ?? '', lastName: editing.lastName ?? '', email: editing.email ?? '', phone: editing.phone ?? '', tags: editing.tags.join(', '), timezone: editing.timezone ?? '', locale: editing.locale ?? '', attributes: attributesText(editing.attributes) }
        : EMPTY,
    );
    setConsent(Object.fromEntries(Object.entries(editing?.consent ?? {}).map(([ch, c]) => [ch, c.status])));
  }, [contact, editing]);
  const set = (key: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const attributes = parseAttributes(form.attributes);
  const submit = useSubmit(
    FIELDS,
    async () => {
      const orNull = (v: string) => v.trim() || null;
      const changedConsent = Object.fromEntries(Object.entries(consent).filter(([ch, status]) => editing?.consent[ch as CampaignChannel]?.status !== status));
      const removed = editing ? Object.fromEntries(Object.keys(editing.attributes).filter((k) => !(typeof attributes === 'object' && k in attributes)).map((k) => [k, null])) : {};
      const body = {
        firstName: orNull(form.firstName), lastName: orNull(form.lastName), email: orNull(form.email), phone: orNull(form.phone),
        tags: form.tags.split(',').map((t) => t.trim()).filter(Boolean), timezone: orNull(form.timezone), locale: orNull(form.locale),
        attributes: { ...removed, ...(attributes as Record<string, string>) }, consent: changedConsent,
      };
      if (editing) await api.patch(`/v1/contacts/${editing.id}`, body);
      else await api.post('/v1/contacts', body);
      onSaved();
    },
    { validate: () => (typeof attributes === 'string' ? ['attributes', attributes] : null) },
  );
  const remove = useConfirmAction<ContactDto>({
    title: 'Delete this contact?',
    message: () => 'Their consent and tags go; their conversations stay, without a contact.',
    confirmLabel: 'Delete',
    run: async (c) => {
      await api.del(`/v1/contacts/${c.id}`);
      onSaved();
    },
  });

  return (
    <>
      <FormDialog
        title={editing ? 'Edit contact' : 'Add contact'}
        open={contact !== null}
        onClose={onClose}
        onSubmit={() => void submit.submit()}
        submitLabel={editing ? 'Save' : 'Add contact'}
        submitDisabled={readOnly}
        busy={submit.busy}
        error={submit.errors.form}
      >
        <div className="aud-grid">
          <Field label="First name" error={submit.fieldError('firstName')}>
            <Input value={form.firstName} onChange={set('firstName')} autoFocus disabled={readOnly} />
          </Field>
          <Field label="Last name" error={submit.fieldError('lastName')}>
            <Input value={form.lastName} onChange={set('lastName')} disabled={readOnly} />
          </Field>
          <Field label="Email" error={submit.fieldError('email')}>
            <Input type="email" value={form.email} onChange={set('email')} disabled={readOnly} />
          </Field>
          <Field label="Phone" help="International format, e.g. +33 6 12 34 56 78" error={submit.fieldError('phone')}>
            <Input value={form.phone} onChange={set('phone')} disabled={readOnly} />
          </Field>
          <Field label="Time zone" help="e.g. Europe/Paris: quiet hours apply in it" error={submit.fieldError('timezone')}>
            <Input value={form.timezone} onChange={set('timezone')} disabled={readOnly} />
          </Field>
          <Field label="Locale" help="e.g. fr-CA" error={submit.fieldError('locale')}>
            <Input value={form.locale} onChange={set('locale')} disabled={readOnly} />
          </Field>
        </div>
        <Field label="Tags" help="Comma-separated" error={submit.fieldError('tags')}>
          <Input value={form.tags} onChange={set('tags')} disabled={readOnly} />
        </Field>
        <Field label="Attributes" help="One per line: key = value" error={submit.fieldError('attributes')}>
          <Textarea rows={3} value={form.attributes} onChange={set('attributes')} disabled={readOnly} />
        </Field>
        <fieldset className="aud-consent-edit">
          <legend>Consent</legend>
          {CAMPAIGN_CHANNELS.map((channel) => {
            const record = editing?.consent[channel];
            return (
              <Field key={channel} label={CHANNEL_LABELS[channel]} help={record ? `${record.method}${record.source ? ` · ${record.source}` : ''}` : undefined}>
                <Select value={consent[channel] ?? ''} disabled={readOnly} onChange={(e) => setConsent((c) => ({ ...c, [channel]: e.target.value as ConsentStatus }))}>
                  <option value="" disabled>
                    not asked
                  </option>
                  <option value="opted_in">opted in</option>
                  <option value="opted_out">opted out</option>
                </Select>
              </Field>
            );
          })}
        </fieldset>
        {editing && !readOnly && (
          <Button variant="ghost" onClick={() => remove.ask(editing)}>
            Delete contact
          </Button>
        )}
        {editing && can.administer(user?.role) && <ContactPrivacyActions contactId={editing.id} onErased={onSaved} />}
      </FormDialog>
      {remove.dialog}
    </>
  );
}
