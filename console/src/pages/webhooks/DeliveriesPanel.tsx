/**
 * One subscription's deliveries: the log (every status, with the last response code and latency,
 * and each attempt on demand) and the dead-letter queue (replay one, or all of them).
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { deliveryList, deliveryWithAttempts, WebhookDeliveryDto, WebhookSubscriptionDto } from '../../../../core/api/webhooks';
import { api } from '../../api/client';
import { Badge, Button, Dialog, Panel, Table, Tabs, actionsColumn, useToast, type Tone } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useToastAction } from '../shared/useAsyncAction';
import { usePolling, useQuery } from '../shared/useQuery';

const TONE: Record<WebhookDeliveryDto['status'], Tone> = { pending: 'info', delivering: 'info', succeeded: 'success', dead: 'danger' };

export function DeliveriesPanel({ subscription }: { subscription: WebhookSubscriptionDto }) {
  const toast = useToast();
  const action = useToastAction();
  const [tab, setTab] = useState<'log' | 'dead'>('log');
  const [shown, setShown] = useState<string | null>(null);
  const query = `subscriptionId=${subscription.id}${tab === 'dead' ? '&status=dead' : ''}&limit=100`;
  const deliveries = useQuery(async () => (await api.get<z.infer<typeof deliveryList>>(`/v1/webhooks/deliveries?${query}`)).items, [query]);
  usePolling(() => deliveries.reload(), 3000, true);

  const replay = (d: WebhookDeliveryDto) =>
    action.run(d.id, async () => {
      await api.post(`/v1/webhooks/deliveries/${d.id}/replay`);
      toast.success('Delivery queued again');
      await deliveries.reload();
    });
  const replayAll = () =>
    action.run('all', async () => {
      const { replayed } = await api.post<{ replayed: number }>('/v1/webhooks/deliveries/replay', { subscriptionId: subscription.id });
      toast.success(`${replayed} ${replayed === 1 ? 'delivery' : 'deliveries'} queued again`);
      await deliveries.reload();
    });

  const table = (
    <QueryStatus query={deliveries} loadingLabel="Loading deliveries">
      {(rows = []) => (
        <div className="pg-col">
          {tab === 'dead' && rows.length > 0 && (
            <div className="pg-row">
              <Button onClick={() => void replayAll()} disabled={action.busy}>
                Replay all
              </Button>
            </div>
          )}
          <Table
            caption={tab === 'dead' ? 'Dead deliveries' : 'Delivery log'}
            rows={rows}
            rowKey={(d) => d.id}
            empty={tab === 'dead' ? 'No dead deliveries.' : 'No deliveries yet.'}
            columns={[
              { key: 'createdAt', header: 'Event time', render: (d) => formatDateTime(d.createdAt) },
              { key: 'eventType', header: 'Event', render: (d) => <span className="pg-mono">{d.eventType}</span> },
              { key: 'status', header: 'Status', render: (d) => <Badge tone={TONE[d.status]}>{d.status}</Badge> },
              { key: 'attempts', header: 'Attempts' },
              { key: 'code', header: 'Response', render: (d) => (d.lastStatusCode ?? (d.lastError ? 'error' : '—')) },
              { key: 'latency', header: 'Latency', render: (d) => (d.lastLatencyMs === null ? '—' : `${d.lastLatencyMs} ms`) },
              actionsColumn((d: WebhookDeliveryDto) => (
                <>
                  <Button size="sm" variant="ghost" onClick={() => setShown(d.id)} aria-label={`Attempts of delivery ${d.id}`}>
                    Attempts
                  </Button>
                  {(d.status === 'dead' || d.status === 'succeeded') && (
                    <Button size="sm" variant="ghost" onClick={() => void replay(d)} disabled={action.busy} aria-label={`Replay delivery ${d.id}`}>
                      Replay
                    </Button>
                  )}
                </>
              )),
            ]}
          />
        </div>
      )}
    </QueryStatus>
  );

  return (
    <Panel title={`Deliveries to ${subscription.url}`}>
      <Tabs
        label="Deliveries"
        active={tab}
        onChange={(id) => setTab(id as 'log' | 'dead')}
        tabs={[
          { id: 'log', label: 'Log', content: tab === 'log' ? table : null },
          { id: 'dead', label: 'Dead-letter queue', content: tab === 'dead' ? table : null },
        ]}
      />
      <AttemptsDialog deliveryId={shown} onClose={() => setShown(null)} />
    </Panel>
  );
}

function AttemptsDialog({ deliveryId, onClose }: { deliveryId: string | null; onClose: () => void }) {
  const delivery = useQuery(async () => (deliveryId ? api.get<z.infer<typeof deliveryWithAttempts>>(`/v1/webhooks/deliveries/${deliveryId}`) : undefined), [deliveryId], { enabled: deliveryId !== null });
  return (
    <Dialog title="Delivery attempts" open={deliveryId !== null} onClose={onClose}>
      <p className="pg-muted pg-mono">Switchboard-Delivery-Id: {deliveryId}</p>
      <QueryStatus query={delivery} loadingLabel="Loading attempts">
        {(d) => (
          <Table
            caption="Attempts"
            rows={d?.attemptLog ?? []}
            rowKey={(a) => String(a.attempt) + a.createdAt}
            empty="Not attempted yet."
            columns={[
              { key: 'attempt', header: '#' },
              { key: 'createdAt', header: 'Time', render: (a) => formatDateTime(a.createdAt) },
              { key: 'statusCode', header: 'Code', render: (a) => a.statusCode ?? '—' },
              { key: 'latencyMs', header: 'Latency', render: (a) => `${a.latencyMs} ms` },
              { key: 'answer', header: 'Answer or error', render: (a) => <span className="pg-mono">{a.error ?? a.responseExcerpt ?? ''}</span> },
            ]}
          />
        )}
      </QueryStatus>
    </Dialog>
  );
}
