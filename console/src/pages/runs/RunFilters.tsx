/** Filters of the runs list: flow, status, type, channel and a start-time range. */
import { CHANNELS } from '../../../../core/messages';
import type { FlowSummary } from '../../builder/flowApi';
import { Button, Field, Input, Select } from '../../ui';
import { RUN_STATUSES, RUN_TYPES } from './types';

export interface RunFilterValues {
  flowId: string;
  status: string;
  type: string;
  channel: string;
  /** `datetime-local` values (the browser's time zone). */
  from: string;
  to: string;
}

export const NO_FILTERS: RunFilterValues = { flowId: '', status: '', type: '', channel: '', from: '', to: '' };

/** The list query for these filters; local times become ISO instants. */
export function runsQuery(f: RunFilterValues, cursor?: string): URLSearchParams {
  const q = new URLSearchParams({ limit: '50' });
  for (const key of ['flowId', 'status', 'type', 'channel'] as const) if (f[key]) q.set(key, f[key]);
  if (f.from) q.set('from', new Date(f.from).toISOString());
  if (f.to) q.set('to', new Date(f.to).toISOString());
  if (cursor) q.set('cursor', cursor);
  return q;
}

interface Props {
  value: RunFilterValues;
  onChange: (v: RunFilterValues) => void;
  flows: FlowSummary[];
  errors: Record<string, string | undefined>;
}

export function RunFilters({ value, onChange, flows, errors }: Props) {
  const set = (key: keyof RunFilterValues) => (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value });
  const active = Object.values(value).some(Boolean);
  return (
    <form className="pg-filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
      <Field label="Flow" error={errors.flowId}>
        <Select value={value.flowId} onChange={set('flowId')} options={[{ value: '', label: 'All flows' }, ...flows.map((f) => ({ value: f.id, label: f.name }))]} />
      </Field>
      <Field label="Status" error={errors.status}>
        <Select value={value.status} onChange={set('status')} options={[{ value: '', label: 'Any status' }, ...RUN_STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') }))]} />
      </Field>
      <Field label="Type" error={errors.type}>
        <Select value={value.type} onChange={set('type')} options={[{ value: '', label: 'Any type' }, ...RUN_TYPES]} />
      </Field>
      <Field label="Channel" error={errors.channel}>
        <Select value={value.channel} onChange={set('channel')} options={[{ value: '', label: 'Any channel' }, ...CHANNELS]} />
      </Field>
      <Field label="Started after" error={errors.from}>
        <Input type="datetime-local" value={value.from} onChange={set('from')} />
      </Field>
      <Field label="Started before" error={errors.to}>
        <Input type="datetime-local" value={value.to} onChange={set('to')} />
      </Field>
      <Button variant="ghost" onClick={() => onChange(NO_FILTERS)} disabled={!active}>
        Clear filters
      </Button>
    </form>
  );
}
