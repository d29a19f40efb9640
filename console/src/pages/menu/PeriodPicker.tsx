/** The period a menu section reads: two dates, empty meaning the 28 days up to the last sale. */
import { Field, Input } from '../../ui';

export interface Period {
  from: string;
  to: string;
}

export function PeriodPicker({ value, onChange, shown }: { value: Period; onChange: (p: Period) => void; shown?: Period }) {
  return (
    <div className="menu-period">
      <Field label="From" help={!value.from && shown ? `default ${shown.from}` : undefined}>
        <Input type="date" value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} />
      </Field>
      <Field label="To" help={!value.to && shown ? `default ${shown.to}` : undefined}>
        <Input type="date" value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })} />
      </Field>
    </div>
  );
}
