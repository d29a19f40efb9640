/** The booking list: filters for dates, status, staff and service; the API filters, the page only shows. */
import { useState } from 'react';
import { api } from '../../api/client';
import { Badge, Field, Input, Select, Table, type Tone } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { useCatalog, zoneOf } from './useCatalog';
import { addDays, instantAt, localDateTime, STATUSES, todayIn, type Appointment, type AppointmentStatus, type List } from './types';

const TONES: Record<AppointmentStatus, Tone> = { booked: 'info', confirmed: 'success', cancelled: 'neutral', completed: 'success', no_show: 'danger' };

export function BookingList() {
  const catalog = useCatalog();
  const zone = zoneOf(catalog.data);
  const [filters, setFilters] = useState(() => ({ from: todayIn(zone), to: addDays(todayIn(zone), 30), status: '', staffId: '', serviceId: '' }));
  const set = (key: keyof typeof filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }));

  const list = useQuery(async () => {
    const q = new URLSearchParams({ from: instantAt(filters.from, 0, zone), to: instantAt(addDays(filters.to, 1), 0, zone), limit: '200' });
    for (const key of ['status', 'staffId', 'serviceId'] as const) if (filters[key]) q.set(key, filters[key]);
    return (await api.get<List<Appointment>>(`/v1/appointments?${q}`)).items;
  }, [filters.from, filters.to, filters.status, filters.staffId, filters.serviceId, zone]);

  return (
    <div className="pg-col">
      <form className="pg-filters" aria-label="Booking filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="From">
          <Input type="date" value={filters.from} onChange={set('from')} />
        </Field>
        <Field label="To">
          <Input type="date" value={filters.to} onChange={set('to')} />
        </Field>
        <Field label="Status">
          <Select value={filters.status} onChange={set('status')} options={[{ value: '', label: 'Any' }, ...STATUSES.map((s) => ({ value: s, label: s.replace('_', '-') }))]} />
        </Field>
        <Field label="Staff">
          <Select value={filters.staffId} onChange={set('staffId')} options={[{ value: '', label: 'Anyone' }, ...(catalog.data?.staff ?? []).map((s) => ({ value: s.id, label: s.name }))]} />
        </Field>
        <Field label="Service">
          <Select value={filters.serviceId} onChange={set('serviceId')} options={[{ value: '', label: 'Any' }, ...(catalog.data?.services ?? []).map((s) => ({ value: s.id, label: s.name }))]} />
        </Field>
      </form>
      <QueryStatus query={list} loadingLabel="Loading bookings">
        {(rows = []) => (
          <Table
            caption="Bookings"
            rows={rows}
            rowKey={(a) => a.id}
            empty="No bookings match these filters."
            columns={[
              { key: 'when', header: 'When', render: (a) => localDateTime(a.startsAt, a.timezone || zone) },
              { key: 'customer', header: 'Customer', render: (a) => a.customerName },
              { key: 'service', header: 'Service', render: (a) => a.serviceName },
              { key: 'staff', header: 'Staff', render: (a) => a.staffName ?? '—' },
              { key: 'status', header: 'Status', render: (a) => <Badge tone={TONES[a.status]}>{a.status.replace('_', '-')}</Badge> },
              { key: 'source', header: 'Source', render: (a) => a.source },
            ]}
          />
        )}
      </QueryStatus>
    </div>
  );
}
