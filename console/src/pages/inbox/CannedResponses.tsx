/**
 * Canned responses: the list agents pick from, and the dialog where builders and admins add, edit
 * and delete them. Agents may only read (the API enforces the same).
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { Button, Dialog, Field, FormDialog, Input, Table, Textarea, actionsColumn, useToast } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { useQuery } from '../shared/useQuery';
import type { CannedResponse, CannedResponseList } from './types';

export function useCannedResponses() {
  return useQuery(async () => (await api.get<CannedResponseList>('/v1/canned-responses')).items, []);
}

interface PickerProps {
  open: boolean;
  onClose: () => void;
  items: CannedResponse[];
  onPick: (text: string) => void;
  canManage: boolean;
  onChanged: () => void;
}

export function CannedResponsesDialog({ open, onClose, items, onPick, canManage, onChanged }: PickerProps) {
  const toast = useToast();
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const remove = useConfirmAction<CannedResponse>({
    title: 'Delete canned response?',
    message: (r) => `“/${r.shortcut}” will no longer be offered to agents.`,
    confirmLabel: 'Delete',
    run: async (r) => {
      await api.del(`/v1/canned-responses/${r.id}`);
      toast.success(`Deleted /${r.shortcut}`);
      onChanged();
    },
  });

  return (
    <Dialog title="Canned responses" open={open} onClose={onClose} footer={canManage ? <Button onClick={() => setEditing('new')}>New response</Button> : undefined}>
      <p className="pg-muted">Type “/” and a shortcut in the reply box, or insert one from here.</p>
      <Table
        caption="Canned responses"
        rows={items}
        rowKey={(r) => r.id}
        empty="No canned responses yet."
        columns={[
          { key: 'shortcut', header: 'Shortcut', render: (r) => <span className="pg-mono">/{r.shortcut}</span> },
          { key: 'text', header: 'Text', render: (r) => r.text },
          actionsColumn(
            (r: CannedResponse) => (
              <div className="pg-row pg-row-end">
                <Button size="sm" variant="primary" onClick={() => onPick(r.text)} aria-label={`Insert /${r.shortcut}`}>
                  Insert
                </Button>
                {canManage && (
                  <>
                    <Button size="sm" onClick={() => setEditing(r)} aria-label={`Edit /${r.shortcut}`}>
                      Edit
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => remove.ask(r)} aria-label={`Delete /${r.shortcut}`}>
                      Delete
                    </Button>
                  </>
                )}
              </div>
            ),
          ),
        ]}
      />
      {editing && (
        <CannedResponseForm
          initial={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
      {remove.dialog}
    </Dialog>
  );
}

function CannedResponseForm({ initial, onClose, onSaved }: { initial: CannedResponse | null; onClose: () => void; onSaved: () => void }) {
  const toast = useToast();
  const [shortcut, setShortcut] = useState(initial?.shortcut ?? '');
  const [text, setText] = useState(initial?.text ?? '');
  const { submit, busy, errors, fieldError } = useSubmit(['shortcut', 'text'], async () => {
    const body = { shortcut: shortcut.replace(/^\//, '').trim(), text };
    if (initial) await api.put(`/v1/canned-responses/${initial.id}`, body);
    else await api.post('/v1/canned-responses', body);
    toast.success(`Saved /${body.shortcut}`);
    onSaved();
  });

  return (
    <FormDialog title={initial ? `Edit /${initial.shortcut}` : 'New canned response'} open onClose={onClose} onSubmit={() => void submit()} submitLabel="Save" busy={busy} error={errors.form}>
      <Field label="Shortcut" help="Letters, digits, _ or -; agents type it after “/”." error={fieldError('shortcut')}>
        <Input value={shortcut} onChange={(e) => setShortcut(e.target.value)} autoFocus />
      </Field>
      <Field label="Text" error={fieldError('text')}>
        <Textarea value={text} onChange={(e) => setText(e.target.value)} rows={4} />
      </Field>
    </FormDialog>
  );
}
