/** Create or edit a webhook subscription: URL, event types (the closed list, or all), description. */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { subscriptionWithSecret, WebhookSubscriptionDto } from '../../../../core/api/webhooks';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_WILDCARD } from '../../../../core/webhooks';
import { api } from '../../api/client';
import { Checkbox, Field, FormDialog, Input } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';

export type Created = z.infer<typeof subscriptionWithSecret>;

export function SubscriptionDialog({ open, editing, onClose, onSaved }: { open: boolean; editing: WebhookSubscriptionDto | null; onClose: () => void; onSaved: (created: Created | null) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>([WEBHOOK_WILDCARD]);
  useEffect(() => {
    if (!open) return;
    setUrl(editing?.url ?? '');
    setDescription(editing?.description ?? '');
    setTypes(editing?.eventTypes ?? [WEBHOOK_WILDCARD]);
  }, [open, editing]);

  const all = types.includes(WEBHOOK_WILDCARD);
  const toggle = (type: string, on: boolean) => setTypes((prev) => (on ? [...prev.filter((t) => t !== type), type] : prev.filter((t) => t !== type)));
  const form = useSubmit(
    ['url', 'eventTypes', 'description'],
    async () => {
      const body = { url: url.trim(), eventTypes: types, description: description.trim() };
      if (editing) {
        await api.patch(`/v1/webhooks/subscriptions/${editing.id}`, body);
        onSaved(null);
      } else onSaved(await api.post<Created>('/v1/webhooks/subscriptions', body));
    },
    { validate: () => (!url.trim() ? ['url', 'The URL your server receives events at, e.g. https://example.com/hooks/switchboard.'] : types.length === 0 ? ['eventTypes', 'Pick at least one event type.'] : null) },
  );

  return (
    <FormDialog
      title={editing ? 'Edit webhook endpoint' : 'Add webhook endpoint'}
      open={open}
      onClose={onClose}
      onSubmit={() => void form.submit()}
      submitLabel={editing ? 'Save' : 'Add endpoint'}
      busy={form.busy}
      error={form.errors.form}
    >
      <Field label="Endpoint URL" error={form.fieldError('url')}>
        <Input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/hooks/switchboard" autoFocus autoComplete="off" />
      </Field>
      <Field label="Description" error={form.fieldError('description')}>
        <Input value={description} onChange={(e) => setDescription(e.target.value)} autoComplete="off" />
      </Field>
      <Field label="Events" error={form.fieldError('eventTypes')}>
        <div className="pg-col">
          <Checkbox label="All events (including types added later)" checked={all} onChange={(e) => setTypes(e.target.checked ? [WEBHOOK_WILDCARD] : [])} />
          {!all && WEBHOOK_EVENT_TYPES.map((t) => <Checkbox key={t} label={<span className="pg-mono">{t}</span>} checked={types.includes(t)} onChange={(e) => toggle(t, e.target.checked)} />)}
        </div>
      </Field>
    </FormDialog>
  );
}
