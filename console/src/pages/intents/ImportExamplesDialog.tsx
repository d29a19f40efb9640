/** Bulk examples: a CSV (intent,text columns) or JSON-lines file, or pasted text; a bad line is named. */
import { useState } from 'react';
import { api } from '../../api/client';
import { Field, FormDialog, Select, Textarea, useToast } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';
import type { ImportResult } from './types';

export function ImportExamplesDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const toast = useToast();
  const [format, setFormat] = useState<'csv' | 'jsonl'>('csv');
  const [data, setData] = useState('');
  const send = useSubmit(['format', 'data'], async () => {
    const r = await api.post<ImportResult>('/v1/intents/import', { format, data });
    toast.success(`${r.examplesAdded} examples added, ${r.intentsCreated} new intents, ${r.duplicates} already there`);
    setData('');
    onImported();
    onClose();
  }, { validate: () => (data.trim() ? null : ['data', 'Choose a file or paste examples']) });
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    if (/\.jsonl?$/i.test(file.name)) setFormat('jsonl');
    setData(await file.text());
  };
  return (
    <FormDialog title="Import examples" open={open} onClose={onClose} onSubmit={() => void send.submit()} submitLabel="Import" busy={send.busy} error={send.errors.form}>
      <Field label="Format" error={send.fieldError('format')}>
        <Select value={format} onChange={(e) => setFormat(e.target.value as 'csv' | 'jsonl')} options={[{ value: 'csv', label: 'CSV (intent,text)' }, { value: 'jsonl', label: 'JSON lines ({"intent","text"})' }]} />
      </Field>
      <Field label="File">
        <input type="file" accept=".csv,.jsonl,.json,.txt" aria-label="File" onChange={(e) => void readFile(e.target.files?.[0])} />
      </Field>
      <Field label="Examples" error={send.fieldError('data')} help="Intents named here that do not exist yet are created.">
        <Textarea rows={8} value={data} onChange={(e) => setData(e.target.value)} placeholder={format === 'csv' ? 'intent,text\ncard_arrival,where is my card' : '{"intent":"card_arrival","text":"where is my card"}'} />
      </Field>
    </FormDialog>
  );
}
