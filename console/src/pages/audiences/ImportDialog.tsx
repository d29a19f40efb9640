/**
 * CSV import: pick a file, check the column → field mapping (proposed from the headers as the
 * server would read them), upload with progress, then the report: imported, updated, and each
 * rejected row with its field and why.
 */
import { useEffect, useState } from 'react';
import { CAMPAIGN_CHANNELS } from '../../../../core/campaigns/channels';
import { defaultField, IMPORT_FIELDS } from '../../../../core/campaigns/import-fields';
import { Button, Dialog, Field, Input, Select, Table } from '../../ui';
import { errorMessage } from '../shared/errors';
import { RejectedRows } from '../shared/RejectedRows';
import { uploadForm } from '../knowledge/upload';
import { CHANNEL_LABELS, type ImportResult } from './types';

/** The header row's cells (quotes stripped); the delimiter is the most frequent of , ; and tab, as on the server. */
function headerCells(text: string): string[] {
  const line = text.split(/\r?\n/)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) => (line.split(d).length > line.split(best).length ? d : best), ',');
  return line.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1').replace(/^\uFEFF/, ''));
}

const FIELD_LABELS: Record<string, string> = { id: 'Id (re-imports update)', firstName: 'First name', lastName: 'Last name', messengerPsid: 'Messenger id' };

function fieldOptions(column: string) {
  return [
    { value: 'skip', label: 'Skip this column' },
    ...IMPORT_FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] ?? f[0]!.toUpperCase() + f.slice(1) })),
    ...CAMPAIGN_CHANNELS.map((c) => ({ value: `consent.${c}`, label: `${CHANNEL_LABELS[c]} consent (yes/no)` })),
    { value: `attributes.${column}`, label: `Attribute “${column}”` },
  ];
}

export function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [country, setCountry] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    setFile(null), setColumns([]), setMapping({}), setProgress(null), setResult(null), setError(null);
  }, [open]);

  const pick = async (picked: File | null) => {
    setFile(picked);
    setResult(null);
    setError(null);
    if (!picked) return;
    const cells = headerCells(await picked.slice(0, 64 * 1024).text());
    setColumns(cells);
    setMapping(Object.fromEntries(cells.map((c) => [c, defaultField(c)])));
  };

  const upload = async () => {
    if (!file) return;
    const form = new FormData();
    // The mapping before the file, as the server reads the parts in order.
    form.append('mapping', JSON.stringify(mapping));
    form.append('file', file, file.name);
    setError(null);
    setProgress(0);
    try {
      const query = country.trim() ? `?defaultCountry=${encodeURIComponent(country.trim())}` : '';
      setResult(await uploadForm<ImportResult>(`/v1/contacts/import${query}`, form, setProgress));
      onImported();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setProgress(null);
    }
  };

  const busy = progress !== null;
  return (
    <Dialog
      title="Import contacts"
      open={open}
      onClose={onClose}
      footer={
        <div className="pg-row pg-row-end">
          <Button onClick={onClose}>{result ? 'Done' : 'Cancel'}</Button>
          {!result && (
            <Button variant="primary" disabled={!file || busy} onClick={() => void upload()}>
              {busy ? 'Importing…' : 'Import'}
            </Button>
          )}
        </div>
      }
    >
      {!result && (
        <>
          <Field label="CSV file" help="A header row, then one contact per row. Rows are known by the id column, else phone, email or Messenger id: importing again updates them.">
            <Input type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => void pick(e.target.files?.[0] ?? null)} />
          </Field>
          <Field label="Default country" help="For phone numbers without +country, e.g. FR or US">
            <Input value={country} maxLength={2} onChange={(e) => setCountry(e.target.value)} disabled={busy} />
          </Field>
          {columns.length > 0 && (
            <Table
              caption="Column mapping"
              rows={columns}
              rowKey={(c) => c}
              columns={[
                { key: 'column', header: 'Column', render: (c) => <span className="pg-mono">{c}</span> },
                {
                  key: 'field',
                  header: 'Field',
                  render: (c) => <Select aria-label={`Field for ${c}`} value={mapping[c] ?? 'skip'} options={fieldOptions(c)} onChange={(e) => setMapping((m) => ({ ...m, [c]: e.target.value }))} disabled={busy} />,
                },
              ]}
            />
          )}
          {busy && <progress className="pg-progress" value={progress ?? 0} max={1} aria-label="Upload progress" />}
        </>
      )}
      {error && (
        <p className="pg-error-text" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="pg-col" aria-label="Import report">
          <p>
            <strong>{result.imported}</strong> new, <strong>{result.updated}</strong> updated, <strong>{result.rejectedCount}</strong> rejected
            {result.optOutsKept > 0 && <> · {result.optOutsKept} opt-outs kept (a contact who opted out is not opted back in by an import)</>} · {(result.durationMs / 1000).toFixed(1)} s
          </p>
          <RejectedRows rejected={result.rejected} total={result.rejectedCount} />
        </div>
      )}
    </Dialog>
  );
}
