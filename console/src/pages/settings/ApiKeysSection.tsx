/** API keys (admins): create (the key is shown once, with a copy button), list by prefix, revoke. */
import { useState } from 'react';
import type { z } from 'zod';
import type { apiKeyList, apiKeySchema, createdApiKey } from '../../../../core/api/admin';
import { api } from '../../api/client';
import { Badge, Button, Field, FormDialog, Input, Table, actionsColumn, useToast } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { ShownOnceDialog } from '../shared/ShownOnceDialog';
import { useSubmit } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { useQuery } from '../shared/useQuery';

type ApiKey = z.infer<typeof apiKeySchema>;
type CreatedKey = z.infer<typeof createdApiKey>;

export function ApiKeysSection() {
  const toast = useToast();
  const keys = useQuery(async () => (await api.get<z.infer<typeof apiKeyList>>('/v1/api-keys')).items, []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const revoke = useConfirmAction<ApiKey>({
    title: 'Revoke this API key?',
    message: (k) => `Requests with “${k.name}” (${k.prefix}…) are refused from now on. This cannot be undone.`,
    confirmLabel: 'Revoke',
    run: async (k) => {
      await api.del(`/v1/api-keys/${k.id}`);
      toast.success(`Revoked ${k.name}`);
      void keys.reload();
    },
  });

  return (
    <div className="pg-col">
      <div className="pg-row pg-row-between">
        <p className="pg-muted">Keys let servers call the API as an admin of this workspace: send “Authorization: Bearer &lt;key&gt;”.</p>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Create API key
        </Button>
      </div>
      <QueryStatus query={keys} loadingLabel="Loading API keys">
        {(data = []) => (
          <Table
            caption="API keys"
            rows={data}
            rowKey={(k) => k.id}
            empty="No API keys yet."
            columns={[
              { key: 'name', header: 'Name' },
              { key: 'prefix', header: 'Key', render: (k) => <span className="pg-mono">{k.prefix}…</span> },
              { key: 'createdAt', header: 'Created', render: (k) => formatDateTime(k.createdAt) },
              { key: 'lastUsedAt', header: 'Last used', render: (k) => (k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never') },
              { key: 'status', header: 'Status', render: (k) => (k.revokedAt ? <Badge tone="neutral">revoked</Badge> : <Badge tone="success">active</Badge>) },
              actionsColumn(
                (k: ApiKey) =>
                  !k.revokedAt && (
                    <Button size="sm" variant="ghost" onClick={() => revoke.ask(k)} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </Button>
                  ),
              ),
            ]}
          />
        )}
      </QueryStatus>
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(k) => {
          setCreating(false);
          setCreated(k);
          void keys.reload();
        }}
      />
      <ShownOnceDialog title={`API key “${created?.name ?? ''}”`} label="API key" value={created?.key ?? null} onClose={() => setCreated(null)}>
        <p>This is the only time the key is shown. Store it somewhere safe, such as your server's secret manager.</p>
      </ShownOnceDialog>
      {revoke.dialog}
    </div>
  );
}

function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (k: CreatedKey) => void }) {
  const [name, setName] = useState('');
  const form = useSubmit(
    ['name'],
    async () => {
      const created = await api.post<CreatedKey>('/v1/api-keys', { name: name.trim() });
      setName('');
      onCreated(created);
    },
    { validate: () => (name.trim() ? null : ['name', 'Name the key after what uses it, e.g. “website backend”.']) },
  );

  return (
    <FormDialog title="Create API key" open={open} onClose={onClose} onSubmit={() => void form.submit()} submitLabel="Create" busy={form.busy} error={form.errors.form}>
      <Field label="Name" error={form.fieldError('name')}>
        <Input value={name} onChange={(e) => setName(e.target.value)} autoFocus autoComplete="off" />
      </Field>
    </FormDialog>
  );
}
