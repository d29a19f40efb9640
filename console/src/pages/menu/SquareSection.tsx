/** Square as the point of sale: connect with an access token (admins), sync the catalog and orders (marketers), and what the last sync read. */
import { useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Badge, Button, Field, FormError, Input, useToast } from '../../ui';
import { Figure } from '../shared/Figure';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';
import { PeriodPicker, type Period } from './PeriodPicker';
import type { SquareStatus, SquareSync } from './types';

export function SquareSection() {
  const { user } = useAuth();
  const toast = useToast();
  const status = useQuery(() => api.get<SquareStatus>('/v1/menu/square'), []);
  const [token, setToken] = useState('');
  const [period, setPeriod] = useState<Period>({ from: '', to: '' });
  const [synced, setSynced] = useState<SquareSync | null>(null);
  const connect = useSubmit(['accessToken', 'locationIds'], async () => {
    const res = await api.put<{ locations: { name: string }[] }>('/v1/menu/square', { accessToken: token.trim() });
    setToken('');
    toast.success(`Square connected: ${res.locations.map((l) => l.name).join(', ')}`);
    await status.reload();
  });
  const sync = useSubmit(['from', 'to', 'square'], async () => {
    setSynced(await api.post<SquareSync>('/v1/menu/square/sync', Object.fromEntries(Object.entries(period).filter(([, v]) => v))));
    await status.reload();
  });
  const last = (synced ?? status.data?.lastSync) as SquareSync | null | undefined;
  return (
    <QueryStatus query={status} loadingLabel="Loading the Square connection">
      {(s) => (
        <div>
          <p>
            {s?.connected ? <Badge tone="success">Connected</Badge> : <Badge>Not connected</Badge>} {s?.connected && `Locations ${s.locationIds.join(', ')}`}
            {s?.lastSyncedAt && ` · last sync ${new Date(s.lastSyncedAt).toLocaleString()}`}
          </p>
          {can.administer(user?.role) && (
            <form onSubmit={(e) => void connect.submit(e)}>
              <Field label="Square access token" help="Needs ITEMS_READ, ORDERS_READ and MERCHANT_PROFILE_READ; stored encrypted, never shown again." error={connect.fieldError('accessToken') ?? connect.fieldError('locationIds')}>
                <Input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
              </Field>
              <FormError message={connect.errors.form} />
              <Button type="submit" disabled={connect.busy || token.trim().length < 10}>
                {s?.connected ? 'Replace token' : 'Connect Square'}
              </Button>
            </form>
          )}
          {s?.connected && can.market(user?.role) && (
            <form onSubmit={(e) => void sync.submit(e)}>
              <h3 className="pg-h3">Sync</h3>
              <p>Reads the catalog’s priced items and the completed orders of the period (default: the last 56 days). Food costs you set here are kept.</p>
              <PeriodPicker value={period} onChange={setPeriod} />
              <FormError message={sync.errors.form ?? sync.fieldError('square')} />
              <Button type="submit" variant="primary" disabled={sync.busy}>
                Sync now
              </Button>
            </form>
          )}
          {last && (
            <dl className="sc-figures" aria-label="Last sync">
              <Figure label="Items" value={`${last.items.created} new, ${last.items.updated} updated`} hint={last.items.unpriced ? `${last.items.unpriced} without a fixed price left out` : undefined} />
              <Figure label="Orders" value={last.orders} hint={`${last.from} – ${last.to}`} />
              <Figure label="Units sold" value={last.units} hint={last.unmatchedLineItems ? `${last.unmatchedLineItems} custom-amount lines not counted` : undefined} />
              <Figure label="Days of sales" value={last.days} />
            </dl>
          )}
        </div>
      )}
    </QueryStatus>
  );
}
