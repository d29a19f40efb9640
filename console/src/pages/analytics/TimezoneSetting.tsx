/**
 * The zone the dashboard's days are cut in, under the figures; an admin changes it here
 * (`PUT /v1/settings/timezone`), and the figures reload in the new zone.
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Button, Field, FormError, Select, useToast } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';

const ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];

export function TimezoneSetting({ timezone, onChanged }: { timezone: string; onChanged: () => void }) {
  const { user } = useAuth();
  const toast = useToast();
  const [editing, setEditing] = useState<string | null>(null);
  const save = useSubmit(['timezone'], async () => {
    await api.put('/v1/settings/timezone', { timezone: editing });
    toast.success(`Days are now cut in ${editing}`);
    setEditing(null);
    onChanged();
  });
  if (editing === null) {
    return (
      <div className="pg-row">
        <span className="pg-muted">Days in {timezone}.</span>
        {can.administer(user?.role) && (
          <Button size="sm" variant="ghost" onClick={() => setEditing(timezone)}>
            Change timezone
          </Button>
        )}
      </div>
    );
  }
  return (
    <form className="pg-row" onSubmit={(e) => void save.submit(e)} noValidate>
      <Field label="Workspace timezone" error={save.fieldError('timezone')}>
        <Select value={editing} onChange={(e) => setEditing(e.target.value)} options={ZONES.includes(editing) ? ZONES : [editing, ...ZONES]} />
      </Field>
      <Button type="submit" variant="primary" size="sm" disabled={save.busy}>
        Save
      </Button>
      <Button size="sm" onClick={() => setEditing(null)}>
        Cancel
      </Button>
      <FormError message={save.errors.form} />
    </form>
  );
}
