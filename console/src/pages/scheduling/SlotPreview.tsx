/** The slots the engine generates for a service on a day (`GET /v1/availability`), in the location's time. */
import { useState } from 'react';
import { api } from '../../api/client';
import { Field, Input, Panel, Select } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { zoneOf, type Catalog } from './useCatalog';
import { addDays, instantAt, localTime, todayIn, type Slot } from './types';

export function SlotPreview({ catalog, version }: { catalog: Catalog; version: number }) {
  const [serviceId, setServiceId] = useState('');
  const service = catalog.services.find((s) => s.id === serviceId) ?? catalog.services[0];
  const zone = zoneOf(catalog, service?.locationId);
  const [date, setDate] = useState(() => addDays(todayIn(zone), 1));
  const slots = useQuery(
    async () => {
      const q = new URLSearchParams({ serviceId: service!.id, from: instantAt(date, 0, zone), to: instantAt(addDays(date, 1), 0, zone) });
      return (await api.get<{ slots: Slot[] }>(`/v1/availability?${q}`)).slots;
    },
    [service?.id, date, zone, version],
    { enabled: Boolean(service) },
  );
  const staffName = (id: string | null) => catalog.staff.find((s) => s.id === id)?.name ?? catalog.resources.find((r) => r.id === id)?.name;
  return (
    <Panel title="Slot preview">
      {!service ? (
        <p className="pg-muted">Add a service to see its slots.</p>
      ) : (
        <>
          <div className="pg-filters">
            <Field label="Preview service">
              <Select value={service.id} onChange={(e) => setServiceId(e.target.value)} options={catalog.services.map((s) => ({ value: s.id, label: s.name }))} />
            </Field>
            <Field label="Preview day">
              <Input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
            </Field>
            <span className="pg-muted">Times in {zone}</span>
          </div>
          <QueryStatus query={slots} loadingLabel="Loading slots">
            {(items = []) =>
              items.length === 0 ? (
                <p className="pg-muted">No free slots on this day.</p>
              ) : (
                <ul className="sc-slot-list" aria-label="Generated slots">
                  {items.map((s) => (
                    <li key={`${s.startsAt}-${s.staffId}-${s.resourceId}`} className="badge badge-info">
                      {localTime(s.startsAt, zone)}
                      {staffName(s.staffId ?? s.resourceId) ? ` · ${staffName(s.staffId ?? s.resourceId)}` : ''}
                      {s.seatsLeft > 1 ? ` · ${s.seatsLeft} seats` : ''}
                    </li>
                  ))}
                </ul>
              )
            }
          </QueryStatus>
        </>
      )}
    </Panel>
  );
}
