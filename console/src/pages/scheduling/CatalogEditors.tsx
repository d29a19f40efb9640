/**
 * The catalogue: locations (with their timezone), services, staff and resources (with weekly
 * hours) and date exceptions, and a live preview of the slots the engine generates from them
 * (`GET /v1/availability`), refreshed after every save.
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { Panel, Tabs } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { EntityEditor, type EntityEditorProps, type FieldSpec } from './EntityEditor';
import { SlotPreview } from './SlotPreview';
import { CATALOG_PATHS, useCatalog, type Catalog } from './useCatalog';
import { formatIntervals, WEEKDAYS, type AvailabilityException, type List, type WeeklyHours } from './types';

const EXCEPTIONS_PATH = '/v1/availability-exceptions';
const hoursSummary = (h: WeeklyHours) =>
  WEEKDAYS.filter((d) => h?.[d]?.length)
    .map((d) => `${d} ${formatIntervals(h[d])}`)
    .join('; ') || 'no hours';
const active = (v: unknown) => (v ? 'active' : 'inactive');

export function CatalogEditors() {
  const catalog = useCatalog();
  const exceptions = useQuery(async () => (await api.get<List<AvailabilityException>>(EXCEPTIONS_PATH)).items, []);
  const [tab, setTab] = useState('services');
  const [version, setVersion] = useState(0);
  const changed = () => {
    void catalog.reload();
    void exceptions.reload();
    setVersion((v) => v + 1);
  };
  return (
    <QueryStatus query={catalog} loadingLabel="Loading services and hours">
      {(c) =>
        c && (
          <div className="pg-col">
        <Tabs label="Catalogue" active={tab} onChange={setTab} tabs={editors(c, exceptions.data ?? [], changed).map((e) => ({ id: e.id, label: e.label, content: e.content }))} />
        <SlotPreview catalog={c} version={version} />
          </div>
        )
      }
    </QueryStatus>
  );
}

function editors(c: Catalog, exceptions: AvailabilityException[], changed: () => void) {
  const locations = c.locations.map((l) => ({ value: l.id, label: `${l.name} (${l.timezone})` }));
  const location: FieldSpec = { name: 'locationId', label: 'Location', kind: 'select', options: locations };
  const staff = c.staff.map((s) => ({ value: s.id, label: s.name }));
  const resources = c.resources.map((r) => ({ value: r.id, label: r.name }));
  const firstLocation = c.locations[0]?.id ?? '';
  const nameOf = (list: { id: string; name: string }[], id: unknown) => list.find((x) => x.id === id)?.name ?? '—';
  const weekdays: WeeklyHours = Object.fromEntries(WEEKDAYS.slice(0, 5).map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
  const tab = <T extends { id: string }>(id: string, props: Omit<EntityEditorProps<T>, 'onChanged'>) => ({ id, label: props.title, content: <EntityEditor {...props} onChanged={changed} /> });
  return [
    tab('services', {
      title: 'Services',
      noun: 'service',
      path: CATALOG_PATHS.services,
      rows: c.services,
      columns: [
        { key: 'name', header: 'Name', render: (s) => s.name },
        { key: 'duration', header: 'Length', render: (s) => `${s.durationMinutes} min` },
        { key: 'who', header: 'Delivered by', render: (s) => [...s.staffIds.map((id) => nameOf(c.staff, id)), ...s.resourceIds.map((id) => nameOf(c.resources, id))].join(', ') || '—' },
        { key: 'active', header: 'Status', render: (s) => active(s.active) },
      ],
      defaults: { locationId: firstLocation, name: '', description: '', durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, priceCents: null, currency: 'EUR', capacity: 1, slotIntervalMinutes: 30, minNoticeMinutes: 60, maxHorizonDays: 60, staffIds: [], resourceIds: [], active: true },
      fields: [
        location,
        { name: 'name', label: 'Name', kind: 'text' },
        { name: 'description', label: 'Description', kind: 'text' },
        { name: 'durationMinutes', label: 'Length (minutes)', kind: 'number' },
        { name: 'bufferBeforeMinutes', label: 'Buffer before (minutes)', kind: 'number' },
        { name: 'bufferAfterMinutes', label: 'Buffer after (minutes)', kind: 'number' },
        { name: 'slotIntervalMinutes', label: 'Slot every (minutes)', kind: 'number' },
        { name: 'minNoticeMinutes', label: 'Minimum notice (minutes)', kind: 'number' },
        { name: 'maxHorizonDays', label: 'Bookable up to (days ahead)', kind: 'number' },
        { name: 'capacity', label: 'Seats per slot', kind: 'number', help: '1 for one-to-one; more for a group session' },
        { name: 'priceCents', label: 'Price (cents)', kind: 'number', nullable: true },
        { name: 'currency', label: 'Currency', kind: 'text' },
        { name: 'staffIds', label: 'Staff', kind: 'multi', options: staff },
        { name: 'resourceIds', label: 'Resources', kind: 'multi', options: resources },
        { name: 'active', label: 'Bookable', kind: 'checkbox' },
      ],
    }),
    tab('staff', {
      title: 'Staff',
      noun: 'staff member',
      path: CATALOG_PATHS.staff,
      rows: c.staff,
      columns: [
        { key: 'name', header: 'Name', render: (s) => s.name },
        { key: 'hours', header: 'Weekly hours', render: (s) => hoursSummary(s.weeklyHours) },
        { key: 'active', header: 'Status', render: (s) => active(s.active) },
      ],
      defaults: { locationId: firstLocation, name: '', email: '', weeklyHours: weekdays, active: true },
      fields: [location, { name: 'name', label: 'Name', kind: 'text' }, { name: 'email', label: 'Email', kind: 'text', nullable: true }, { name: 'weeklyHours', label: 'Weekly hours', kind: 'hours' }, { name: 'active', label: 'Takes bookings', kind: 'checkbox' }],
    }),
    tab('resources', {
      title: 'Resources',
      noun: 'resource',
      path: CATALOG_PATHS.resources,
      rows: c.resources,
      columns: [
        { key: 'name', header: 'Name', render: (r) => r.name },
        { key: 'kind', header: 'Kind', render: (r) => r.kind },
        { key: 'hours', header: 'Weekly hours', render: (r) => hoursSummary(r.weeklyHours) },
      ],
      defaults: { locationId: firstLocation, name: '', kind: 'room', weeklyHours: weekdays, active: true },
      fields: [
        location,
        { name: 'name', label: 'Name', kind: 'text' },
        { name: 'kind', label: 'Kind', kind: 'select', options: ['room', 'table', 'chair', 'other'].map((k) => ({ value: k, label: k })) },
        { name: 'weeklyHours', label: 'Weekly hours', kind: 'hours' },
        { name: 'active', label: 'Bookable', kind: 'checkbox' },
      ],
    }),
    tab('locations', {
      title: 'Locations',
      noun: 'location',
      path: CATALOG_PATHS.locations,
      rows: c.locations,
      columns: [
        { key: 'name', header: 'Name', render: (l) => l.name },
        { key: 'tz', header: 'Timezone', render: (l) => l.timezone },
        { key: 'address', header: 'Address', render: (l) => l.address },
      ],
      defaults: { name: '', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, address: '' },
      fields: [{ name: 'name', label: 'Name', kind: 'text' }, { name: 'timezone', label: 'Timezone', kind: 'text', help: 'IANA name, such as Europe/Amsterdam' }, { name: 'address', label: 'Address', kind: 'text' }],
    }),
    tab('exceptions', {
      title: 'Exceptions',
      noun: 'exception',
      path: EXCEPTIONS_PATH,
      rows: exceptions,
      editable: false,
      columns: [
        { key: 'date', header: 'Date', render: (e) => e.date },
        { key: 'who', header: 'For', render: (e) => (e.staffId ? nameOf(c.staff, e.staffId) : e.resourceId ? nameOf(c.resources, e.resourceId) : `all of ${nameOf(c.locations, e.locationId)}`) },
        { key: 'hours', header: 'Hours', render: (e) => (e.closed ? 'closed' : formatIntervals(e.hours)) },
        { key: 'reason', header: 'Reason', render: (e) => e.reason },
      ],
      defaults: { locationId: '', staffId: '', resourceId: '', date: '', closed: true, hours: [], reason: '' },
      fields: [
        { ...location, optional: true, help: 'Choose one: a location (a holiday for everyone there), a staff member or a resource' },
        { name: 'staffId', label: 'Staff member', kind: 'select', options: staff, optional: true },
        { name: 'resourceId', label: 'Resource', kind: 'select', options: resources, optional: true },
        { name: 'date', label: 'Date', kind: 'date' },
        { name: 'closed', label: 'Closed all day', kind: 'checkbox' },
        { name: 'hours', label: 'Hours instead (when open)', kind: 'intervals', help: 'Such as 10:00-14:00' },
        { name: 'reason', label: 'Reason', kind: 'text' },
      ],
    }),
  ];
}
