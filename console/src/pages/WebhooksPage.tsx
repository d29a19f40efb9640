/**
 * Webhooks (admins): the endpoints API clients receive events at. Add, edit, delete, rotate the
 * signing secret (shown once), disable or re-enable; below, the selected endpoint's deliveries.
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { subscriptionList, subscriptionWithSecret, WebhookSubscriptionDto } from '../../../core/api/webhooks';
import { api } from '../api/client';
import { Badge, Button, Panel, Table, actionsColumn, useToast } from '../ui';
import { QueryStatus } from './shared/QueryStatus';
import { ShownOnceDialog } from './shared/ShownOnceDialog';
import { useToastAction } from './shared/useAsyncAction';
import { useConfirmAction } from './shared/useConfirmAction';
import { useQuery } from './shared/useQuery';
import { DeliveriesPanel } from './webhooks/DeliveriesPanel';
import { SubscriptionDialog, type Created } from './webhooks/SubscriptionDialog';
import './pages.css';

type Sub = WebhookSubscriptionDto;

const DISABLED_WHY: Record<string, string> = { gone: 'the endpoint answered 410 Gone', failing: 'deliveries kept failing' };

export function WebhooksPage() {
  const toast = useToast();
  const action = useToastAction();
  const subs = useQuery(async () => (await api.get<z.infer<typeof subscriptionList>>('/v1/webhooks/subscriptions')).items, []);
  const [dialog, setDialog] = useState<{ editing: Sub | null } | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const current = subs.data?.find((s) => s.id === selected) ?? subs.data?.[0] ?? null;

  const remove = useConfirmAction<Sub>({
    title: 'Delete this endpoint?',
    message: (s) => `Events stop going to ${s.url}, and its delivery log is deleted.`,
    confirmLabel: 'Delete',
    run: async (s) => {
      await api.del(`/v1/webhooks/subscriptions/${s.id}`);
      toast.success('Endpoint deleted');
      await subs.reload();
    },
  });
  const patch = (s: Sub, body: Record<string, unknown>, done: string) =>
    action.run(s.id, async () => {
      const updated = await api.patch<z.infer<typeof subscriptionWithSecret> & { secret?: string }>(`/v1/webhooks/subscriptions/${s.id}`, body);
      if (updated.secret) setSecret({ url: s.url, secret: updated.secret });
      else toast.success(done);
      await subs.reload();
    });

  return (
    <div className="page">
      <div className="page-head">
        <h1>Webhooks</h1>
        <Button variant="primary" onClick={() => setDialog({ editing: null })}>
          Add endpoint
        </Button>
      </div>
      <Panel title="Endpoints">
        <p className="pg-muted">Each event is POSTed as JSON, signed in the Switchboard-Signature header with the endpoint’s secret (see the docs for verification code).</p>
        <QueryStatus query={subs} loadingLabel="Loading endpoints">
          {(rows = []) => (
            <Table
              caption="Webhook endpoints"
              rows={rows}
              rowKey={(s) => s.id}
              empty="No endpoints yet."
              columns={[
                {
                  key: 'url',
                  header: 'URL',
                  render: (s) => (
                    <button type="button" className="pg-link pg-mono" onClick={() => setSelected(s.id)} aria-current={current?.id === s.id}>
                      {s.url}
                    </button>
                  ),
                },
                { key: 'events', header: 'Events', render: (s) => (s.eventTypes.includes('*') ? 'all' : s.eventTypes.join(', ')) },
                {
                  key: 'status',
                  header: 'Status',
                  render: (s) =>
                    s.enabled ? <Badge tone="success">enabled</Badge> : <Badge tone="danger" title={s.disabledReason ? DISABLED_WHY[s.disabledReason] : undefined}>{s.disabledReason ? `disabled: ${DISABLED_WHY[s.disabledReason] ?? s.disabledReason}` : 'disabled'}</Badge>,
                },
                actionsColumn((s: Sub) => (
                  <>
                    <Button size="sm" variant="ghost" onClick={() => setDialog({ editing: s })} aria-label={`Edit ${s.url}`}>
                      Edit
                    </Button>
                    <Button size="sm" variant="ghost" disabled={action.busy} onClick={() => void patch(s, { enabled: !s.enabled }, s.enabled ? 'Endpoint disabled' : 'Endpoint enabled')} aria-label={`${s.enabled ? 'Disable' : 'Enable'} ${s.url}`}>
                      {s.enabled ? 'Disable' : 'Enable'}
                    </Button>
                    <Button size="sm" variant="ghost" disabled={action.busy} onClick={() => void patch(s, { rotateSecret: true }, '')} aria-label={`Rotate the secret of ${s.url}`}>
                      Rotate secret
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => remove.ask(s)} aria-label={`Delete ${s.url}`}>
                      Delete
                    </Button>
                  </>
                )),
              ]}
            />
          )}
        </QueryStatus>
      </Panel>
      {current && <DeliveriesPanel key={current.id} subscription={current} />}
      <SubscriptionDialog
        open={dialog !== null}
        editing={dialog?.editing ?? null}
        onClose={() => setDialog(null)}
        onSaved={(created: Created | null) => {
          setDialog(null);
          if (created) {
            setSecret({ url: created.url, secret: created.secret });
            setSelected(created.id);
          } else toast.success('Endpoint saved');
          void subs.reload();
        }}
      />
      <ShownOnceDialog title="Signing secret" label="Signing secret" value={secret?.secret ?? null} onClose={() => setSecret(null)}>
        <p>
          Events to <span className="pg-mono">{secret?.url}</span> are signed with this secret. This is the only time it is shown: store it with the receiving server.
        </p>
      </ShownOnceDialog>
      {remove.dialog}
    </div>
  );
}
