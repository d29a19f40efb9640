/** API keys (admins): create with a scope and an optional expiry (the key is shown once, with a copy button), list by prefix, revoke. */
import { useState } from 'react';
import type { z } from 'zod';
import { API_KEY_SCOPES, type ApiKeyScope, type apiKeyList, type apiKeySchema, type createdApiKey } from '../../../../core/api/admin';
import { api } from '../../api/client';
import { Badge, Button, Field, FormDialog, Input, Select, Table, actionsColumn, useToast } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { ShownOnceDialog } from '../shared/ShownOnceDialog';
import { useSubmit } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { useQuery } from '../shared/useQuery';

type ApiKey = z.infer<typeof apiKeySchema>;
type CreatedKey = z.infer<typeof createdApiKey>;

const SCOPE_LABELS: Record<ApiKeyScope, string> = {
  admin: 'Admin — everything in this workspace',
  'read-only': 'Read-only — reads, changes nothing',
  'runs-only': 'Runs only — start flow runs and follow them',
};

const isExpired = (k: ApiKey) => k.expiresAt !== null && Date.parse(k.expiresAt) <= Date.now();

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
        <p className="pg-muted">Keys let servers call the API: send “Authorization: Bearer &lt;key&gt;”. Give each the narrowest scope that does its job.</p>
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
              { key: 'scope', header: 'Scope' },
              { key: 'expiresAt', header: 'Expires', render: (k) => (k.expiresAt ? formatDateTime(k.expiresAt) : 'never') },
              { key: 'createdAt', header: 'Created', render: (k) => formatDateTime(k.createdAt) },
              { key: 'lastUsedAt', header: 'Last used', render: (k) => (k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never') },
              { key: 'status', header: 'Status', render: (k) => (k.revokedAt ? <Badge tone="neutral">revoked</Badge> : isExpired(k) ? <Badge tone="neutral">expired</Badge> : <Badge tone="success">active</Badge>) },
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
  const [scope, setScope] = useState<ApiKeyScope>('admin');
  // A date input: the key stops working at the start of that day, local time.
  const [expiresOn, setExpiresOn] = useState('');
  const form = useSubmit(
    ['name', 'scope', 'expiresAt'],
    async () => {
      const expiresAt = expiresOn ? new Date(`${expiresOn}T00:00:00`).toISOString() : null;
      const created = await api.post<CreatedKey>('/v1/api-keys', { name: name.trim(), scope, expiresAt });
      setName('');
      setScope('admin');
      setExpiresOn('');
      onCreated(created);
    },
    {
      validate: () =>
        !name.trim()
          ? ['name', 'Name the key after what uses it, e.g. “website backend”.']
          : expiresOn && new Date(`${expiresOn}T00:00:00`).getTime() <= Date.now()
            ? ['expiresAt', 'Pick a day in the future, or leave it empty for a key that does not expire.']
            : null,
    },
  );

  return (
    <FormDialog title="Create API key" open={open} onClose={onClose} onSubmit={() => void form.submit()} submitLabel="Create" busy={form.busy} error={form.errors.form}>
      <Field label="Name" error={form.fieldError('name')}>
        <Input value={name} onChange={(e) => setName(e.target.value)} autoFocus autoComplete="off" />
      </Field>
      <Field label="Scope" error={form.fieldError('scope')}>
        <Select value={scope} onChange={(e) => setScope(e.target.value as ApiKeyScope)} options={API_KEY_SCOPES.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))} />
      </Field>
      <Field label="Expires on (optional)" error={form.fieldError('expiresAt')}>
        <Input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
