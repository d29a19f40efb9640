/** A POS export into the menu: the file (or pasted CSV), how its dates read, and the report of what was imported and which rows were refused, with why. */
import { useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Button, EmptyState, Field, FormError, Select, Textarea } from '../../ui';
import { Figure } from '../shared/Figure';
import { RejectedRows } from '../shared/RejectedRows';
import { useSubmit } from '../shared/useAsyncAction';
import type { ImportResult } from './types';

export function ImportSection() {
  const { user } = useAuth();
  const [csv, setCsv] = useState('');
  const [dateOrder, setDateOrder] = useState<'mdy' | 'dmy'>('mdy');
  const [result, setResult] = useState<ImportResult | null>(null);
  const send = useSubmit(['csv', 'mapping', 'dateOrder'], async () => setResult(await api.post<ImportResult>('/v1/menu/import', { csv, dateOrder })));
  if (!can.market(user?.role)) return <EmptyState title="Marketers import menus">Ask a marketer or an admin to import your POS export.</EmptyState>;
  return (
    <form onSubmit={(e) => void send.submit(e)}>
      <p>
        Columns are read by their headers (Item, Category, Price, Unit Cost, SKU, Date, Qty, Gross Sales…). A row with a date and a quantity is a day’s sales; importing
        the same file again changes nothing.
      </p>
      <Field label="CSV file">
        <input type="file" accept=".csv,text/csv" onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)} />
      </Field>
      <Field label="Or paste the CSV" error={send.fieldError('csv')}>
        <Textarea rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} />
      </Field>
      <Field label="Dates like 03/04/2026 are" error={send.fieldError('dateOrder')}>
        <Select value={dateOrder} onChange={(e) => setDateOrder(e.target.value as 'mdy' | 'dmy')}>
          <option value="mdy">month first (US)</option>
          <option value="dmy">day first</option>
        </Select>
      </Field>
      <FormError message={send.errors.form ?? send.fieldError('mapping')} />
      <Button type="submit" variant="primary" disabled={send.busy || !csv.trim()}>
        Import
      </Button>
      {result && (
        <section aria-label="Import report">
          <dl className="sc-figures">
            <Figure label="Rows read" value={result.rows} />
            <Figure label="Items" value={`${result.items.created} new, ${result.items.updated} updated`} />
            <Figure label="Days of sales" value={result.sales.days} hint={result.sales.from ? `${result.sales.from} – ${result.sales.to}, ${result.sales.units} units` : undefined} />
            <Figure label="Rows rejected" value={result.rejectedCount} />
          </dl>
          <RejectedRows rejected={result.rejected} total={result.rejectedCount} />
        </section>
      )}
    </form>
  );
}
