/** The menu's items: price, food cost (editable by marketers: the matrix needs it) and margin. */
import { useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Badge, Button, Input, Table, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { formatCents, type MenuItemDto } from './types';

function FoodCost({ item, onSaved }: { item: MenuItemDto; onSaved: () => Promise<void> }) {
  const toast = useToast();
  const [value, setValue] = useState(item.foodCostCents === null ? '' : (item.foodCostCents / 100).toFixed(2));
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const cents = value.trim() === '' ? null : Math.round(Number(value.replace(',', '.')) * 100);
    if (cents !== null && !Number.isFinite(cents)) return toast.error('The food cost is not a number');
    setBusy(true);
    try {
      await api.patch(`/v1/menu/items/${item.id}`, { foodCostCents: cents });
      toast.success(`Food cost of ${item.name} saved`);
      await onSaved();
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="menu-row-actions">
      <Input className="menu-cost" aria-label={`Food cost of ${item.name}`} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} placeholder="unknown" />
      <Button size="sm" onClick={() => void save()} disabled={busy}>
        Save
      </Button>
    </span>
  );
}

export function ItemsSection() {
  const { user } = useAuth();
  const writer = can.market(user?.role);
  const items = useQuery(async () => (await api.get<{ items: MenuItemDto[] }>('/v1/menu/items')).items, []);
  return (
    <QueryStatus query={items} loadingLabel="Loading the menu">
      {(list) => (
        <Table
          caption="Menu items"
          rows={list ?? []}
          rowKey={(i) => i.id}
          empty="No items yet: import a POS export or connect Square."
          columns={[
            { key: 'name', header: 'Item', render: (i) => (i.active ? i.name : `${i.name} (inactive)`) },
            { key: 'category', header: 'Category' },
            { key: 'price', header: 'Price', render: (i) => formatCents(i.priceCents, i.currency) },
            {
              key: 'foodCost',
              header: 'Food cost',
              render: (i) => (writer ? <FoodCost key={`${i.id}:${i.foodCostCents}`} item={i} onSaved={items.reload} /> : i.foodCostCents === null ? '—' : formatCents(i.foodCostCents, i.currency)),
            },
            { key: 'cm', header: 'Margin', render: (i) => (i.foodCostCents === null ? <Badge tone="warning">needs a food cost</Badge> : formatCents(i.priceCents - i.foodCostCents, i.currency)) },
            { key: 'source', header: 'From', render: (i) => i.source },
          ]}
        />
      )}
    </QueryStatus>
  );
}
