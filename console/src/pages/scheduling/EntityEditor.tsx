/**
 * One catalogue list (locations, services, staff, resources, exceptions): a table with Edit and
 * Delete, and a dialog form built from a short field list, so each entity is a description rather
 * than another copy of the same form. Field errors the API names land on their field.
 */
import { useState, type ReactNode } from 'react';
import { can, useAuth } from '../../app/auth';
import { api } from '../../api/client';
import { Button, Checkbox, Field, FormDialog, Input, Panel, Select, Table, actionsColumn, useToast, type Column } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { formatIntervals, parseIntervals, WEEKDAYS, type WeeklyHours } from './types';

type Value = string | number | boolean | string[] | WeeklyHours | null;
type Row = { id: string };

export interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'number' | 'select' | 'multi' | 'checkbox' | 'date' | 'hours' | 'intervals';
  options?: { value: string; label: string }[];
  help?: string;
  /** Sent as null when empty (an email, a price). */
  nullable?: boolean;
  /** Left out when empty (one of several owners, as an exception's location, staff member or resource). */
  optional?: boolean;
}

export interface EntityEditorProps<T extends Row> {
  title: string;
  /** The singular, in button labels ("Add service"). */
  noun: string;
  path: string;
  rows: T[];
  columns: Column<T>[];
  fields: FieldSpec[];
  defaults: Record<string, Value>;
  onChanged: () => void;
  /** False when the API has no PATCH for it (an exception is removed and added again). */
  editable?: boolean;
  children?: ReactNode;
}

/** The form's text for a stored value, and the value to send for the form's text. */
const toForm = (f: FieldSpec, v: unknown): unknown => (f.kind === 'intervals' ? formatIntervals(v as never) : f.kind === 'hours' ? hoursToForm(v as WeeklyHours) : v ?? '');
const hoursToForm = (h: WeeklyHours = {}) => Object.fromEntries(WEEKDAYS.map((d) => [d, formatIntervals(h[d])]));

export function EntityEditor<T extends Row>({ title, noun, path, rows, columns, fields, defaults, onChanged, editable = true, children }: EntityEditorProps<T>) {
  const toast = useToast();
  // Catalogue writes are for admins (api/plugins/roles.ts): other roles see the lists only.
  const admin = can.administer(useAuth().user?.role);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [form, setForm] = useState<Record<string, any>>({});
  const open = (row: T | 'new') => {
    const source = (row === 'new' ? defaults : row) as Record<string, unknown>;
    setForm(Object.fromEntries(fields.map((f) => [f.name, toForm(f, source[f.name])])));
    setEditing(row);
  };

  const body = (): Record<string, unknown> | [string, string] => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = form[f.name];
      if (f.kind === 'number') out[f.name] = v === '' || v === null ? (f.nullable ? null : undefined) : Number(v);
      else if (f.kind === 'intervals') {
        const parsed = parseIntervals(String(v ?? ''));
        if (typeof parsed === 'string') return [f.name, parsed];
        out[f.name] = parsed;
      } else if (f.kind === 'hours') {
        const week: WeeklyHours = {};
        for (const d of WEEKDAYS) {
          const parsed = parseIntervals(String(v?.[d] ?? ''));
          if (typeof parsed === 'string') return [f.name, `${d}: ${parsed}`];
          week[d] = parsed;
        }
        out[f.name] = week;
      } else if (v === '' && f.optional) continue;
      else if ((f.kind === 'select' || f.kind === 'text' || f.kind === 'date') && v === '' && f.nullable) out[f.name] = null;
      else out[f.name] = v;
    }
    return out;
  };
  const save = useSubmit(
    fields.map((f) => f.name),
    async () => {
      const payload = body() as Record<string, unknown>;
      if (editing === 'new') await api.post(path, payload);
      else await api.patch(`${path}/${(editing as T).id}`, payload);
      toast.success(`${noun[0].toUpperCase()}${noun.slice(1)} saved`);
      setEditing(null);
      onChanged();
    },
    { validate: () => (Array.isArray(body()) ? (body() as [string, string]) : null) },
  );
  const remove = useConfirmAction<T>({
    title: `Delete this ${noun}?`,
    message: (r) => `${label(r)} is deleted. Existing bookings keep their times.`,
    confirmLabel: 'Delete',
    run: async (r) => {
      await api.del(`${path}/${r.id}`);
      toast.success(`${noun[0].toUpperCase()}${noun.slice(1)} deleted`);
      onChanged();
    },
  });
  const rowActions = actionsColumn((r: T) => (
    <>
      {editable && (
        <Button size="sm" variant="ghost" onClick={() => open(r)} aria-label={`Edit ${label(r)}`}>
          Edit
        </Button>
      )}
      <Button size="sm" variant="ghost" onClick={() => remove.ask(r)} aria-label={`Delete ${label(r)}`}>
        Delete
      </Button>
    </>
  ));
  const label = (r: T) => {
    const named = r as Row & { name?: string; date?: string };
    return named.name ?? named.date ?? r.id;
  };

  return (
    <Panel
      title={title}
      actions={
        admin && (
          <Button variant="primary" size="sm" onClick={() => open('new')}>
            Add {noun}
          </Button>
        )
      }
    >
      <Table
        caption={title}
        rows={rows}
        rowKey={(r) => r.id}
        empty={`No ${title.toLowerCase()} yet.`}
        columns={admin ? [...columns, rowActions] : columns}
      />
      {children}
      <FormDialog
        title={editing === 'new' ? `Add ${noun}` : `Edit ${noun}`}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onSubmit={() => void save.submit()}
        submitLabel="Save"
        busy={save.busy}
        error={save.errors.form}
      >
        {fields.map((f) => (
          <FieldControl key={f.name} spec={f} value={form[f.name]} error={save.fieldError(f.name)} onChange={(v) => setForm((prev) => ({ ...prev, [f.name]: v }))} />
        ))}
      </FormDialog>
      {remove.dialog}
    </Panel>
  );
}

function FieldControl({ spec, value, error, onChange }: { spec: FieldSpec; value: any; error?: string; onChange: (v: unknown) => void }) {
  if (spec.kind === 'checkbox')
    return (
      <Field label={spec.label} help={spec.help} error={error}>
        <Checkbox label={spec.label} checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} />
      </Field>
    );
  if (spec.kind === 'hours')
    return (
      <fieldset className="sc-hours-set">
        <legend className="field-label">{spec.label}</legend>
        <p className="pg-muted">{spec.help ?? 'Local times, such as 09:00-12:30, 13:30-18:00 (the gap is a break); empty for a day off.'}</p>
        {error && <p className="pg-error-text" role="alert">{error}</p>}
        <div className="sc-hours">
          {WEEKDAYS.map((d) => (
            <label key={d} className="pg-row">
              <span className="sc-day">{d}</span>
              <input className="control pg-grow" aria-label={`${spec.label} ${d}`} value={value?.[d] ?? ''} onChange={(e) => onChange({ ...value, [d]: e.target.value })} />
            </label>
          ))}
        </div>
      </fieldset>
    );
  return (
    <Field label={spec.label} help={spec.help} error={error}>
      {spec.kind === 'select' ? (
        <Select value={value ?? ''} onChange={(e) => onChange(e.target.value)} options={[...(spec.nullable || spec.optional ? [{ value: '', label: '—' }] : []), ...(spec.options ?? [])]} />
      ) : spec.kind === 'multi' ? (
        <Select multiple value={value ?? []} onChange={(e) => onChange(Array.from(e.target.selectedOptions, (o) => o.value))} options={spec.options ?? []} />
      ) : (
        <Input type={spec.kind === 'number' ? 'number' : spec.kind === 'date' ? 'date' : 'text'} value={value ?? ''} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}
