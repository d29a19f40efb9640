/**
 * A contact's export and erasure (admins): the export is a zip downloaded straight from
 * `GET /v1/contacts/:id/export`; erasure asks for ERASE typed out, since it cannot be undone.
 */
import { useState } from 'react';
import { ERASE_CONFIRMATION } from '../../../../core/api/privacy';
import { api } from '../../api/client';
import { Button, Field, FormDialog, Input, useToast } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';

export function ContactPrivacyActions({ contactId, onErased }: { contactId: string; onErased: () => void }) {
  const toast = useToast();
  const [erasing, setErasing] = useState(false);
  const [typed, setTyped] = useState('');
  const erase = useSubmit(['confirm'], async () => {
    const res = await api.post<{ erased: Record<string, number> }>(`/v1/contacts/${contactId}/erase`, { confirm: typed.trim() });
    toast.success(`Contact erased: ${res.erased.messages ?? 0} messages, ${res.erased.conversations ?? 0} conversations and everything else about them`);
    setErasing(false);
    onErased();
  });
  return (
    <div className="pg-row">
      <a className="btn btn-secondary btn-md pg-link-button" href={`/v1/contacts/${contactId}/export`} download>
        Export data (zip)
      </a>
      <Button variant="ghost" onClick={() => (setTyped(''), setErasing(true))}>
        Erase contact…
      </Button>
      <FormDialog
        title="Erase this contact for good?"
        open={erasing}
        onClose={() => setErasing(false)}
        onSubmit={() => void erase.submit()}
        submitLabel="Erase"
        submitDisabled={typed.trim() !== ERASE_CONFIRMATION}
        busy={erase.busy}
        error={erase.errors.form}
      >
        <p>
          Their messages, files, conversations, consent, appointments, campaign sends and events are deleted, with the workflow histories of their conversations. Analytics totals
          stay. This cannot be undone: export their data first if they asked for it.
        </p>
        <Field label={`Type ${ERASE_CONFIRMATION} to confirm`} error={erase.fieldError('confirm')}>
          <Input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        </Field>
      </FormDialog>
    </div>
  );
}
