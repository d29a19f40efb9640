/**
 * Importing many small documents at once: a CSV or JSONL file (one document per row), or a folder
 * of text and Markdown files read here and sent as one JSON import. Shows the upload, then the
 * import's progress until every row is indexed, with the rows the server could not import.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { Button, Field, FormError, Input, useToast } from '../../ui';
import { formatBytes } from '../shared/format';
import { usePolling } from '../shared/useQuery';
import { useSubmit, type Invalid } from '../shared/useAsyncAction';
import { uploadForm } from './upload';
import { MAX_DOCUMENT_BYTES, type ImportAccepted, type ImportProgress } from './types';

const TEXT_FILE = /\.(txt|md|markdown)$/i;

/** A folder's text files as import rows, named by their path inside the folder. */
async function folderRows(files: File[]) {
  const texts = files.filter((f) => TEXT_FILE.test(f.name));
  return Promise.all(texts.map(async (f) => ({ name: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, text: await f.text() })));
}

export function BulkImport({ knowledgeBaseId, onImported }: { knowledgeBaseId: string; onImported: () => void }) {
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [folder, setFolder] = useState<File[]>([]);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [current, setCurrent] = useState<ImportAccepted | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [inputKey, setInputKey] = useState(0);

  const poll = usePolling(
    async () => {
      if (!current) return;
      const next = await api.get<ImportProgress>(`/v1/knowledge-bases/${knowledgeBaseId}/imports/${current.id}`);
      setProgress(next);
    },
    1000,
    current !== null && !progress?.done,
  );
  useEffect(() => {
    if (progress?.done) onImported();
    // Only when an import finishes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [progress?.done]);

  const validate = (): Invalid | null => {
    if (!file && folder.length === 0) return ['file', 'Choose a CSV or JSONL file, or a folder of text files.'];
    if (file && file.size > MAX_DOCUMENT_BYTES) return ['file', `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_DOCUMENT_BYTES)}.`];
    if (!file && !folder.some((f) => TEXT_FILE.test(f.name))) return ['file', 'The folder has no .txt or .md files.'];
    return null;
  };

  const send = async () => {
    setProgress(null);
    try {
      let accepted: ImportAccepted;
      if (file) {
        const form = new FormData();
        form.append('file', file, file.name);
        setUploaded(0);
        accepted = await uploadForm<ImportAccepted>(`/v1/knowledge-bases/${knowledgeBaseId}/documents:bulk`, form, setUploaded);
      } else {
        accepted = await api.post<ImportAccepted>(`/v1/knowledge-bases/${knowledgeBaseId}/documents:bulk`, { documents: await folderRows(folder) });
      }
      toast.success(`Importing ${accepted.accepted} document${accepted.accepted === 1 ? '' : 's'}`);
      setCurrent(accepted);
      setFile(null);
      setFolder([]);
      setInputKey((k) => k + 1);
    } finally {
      setUploaded(null);
    }
  };
  const { submit, busy, errors, fieldError } = useSubmit(['file', 'documents', 'text', 'line'], send, { validate });

  const settled = progress ? progress.ready + progress.failed : 0;
  return (
    <form onSubmit={submit} noValidate aria-label="Import many documents">
      <Field label="CSV or JSONL file" help="One document per row: a text (or content, body, answer) column and an optional name (or title, question) column." error={fieldError('file') ?? fieldError('text') ?? fieldError('line')}>
        <Input key={`file-${inputKey}`} type="file" accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </Field>
      <Field label="…or a folder" help="Every .txt and .md file in it becomes a document named by its path." error={fieldError('documents')}>
        <Input
          key={`folder-${inputKey}`}
          type="file"
          aria-label="Folder"
          // Not in React's typings: the attribute that makes the picker choose a folder.
          {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
          multiple
          onChange={(e) => setFolder(Array.from(e.target.files ?? []))}
        />
      </Field>
      <FormError message={errors.form} />
      <div className="pg-row">
        <Button type="submit" variant="primary" disabled={busy}>
          Import
        </Button>
        <div className="pg-grow pg-status-line">
          {uploaded !== null && <progress className="pg-progress" max={1} value={uploaded} aria-label="Upload progress" />}
        </div>
      </div>
      {current && (
        <div className="pg-col" role="status" aria-label="Import progress">
          <progress className="pg-progress" max={Math.max(1, current.accepted)} value={settled} aria-label="Indexing progress" />
          <span className="pg-muted">
            {progress?.done ? 'Done: ' : 'Indexing: '}
            {progress ? `${progress.ready} ready, ${progress.failed} failed, ${progress.pending} to go` : `${current.accepted} queued`}
            {current.rejected.length > 0 && ` · ${current.rejected.length} row${current.rejected.length === 1 ? '' : 's'} not imported`}
          </span>
          {poll.error != null && <span className="pg-error-text">Progress could not be read; retrying.</span>}
          {current.rejected.length > 0 && (
            <ul className="pg-muted" aria-label="Rows not imported">
              {current.rejected.slice(0, 20).map((r) => (
                <li key={`${r.row}-${r.field}`}>
                  Row {r.row} ({r.field}): {r.message}
                </li>
              ))}
            </ul>
          )}
          {progress && progress.failures.length > 0 && (
            <ul className="pg-error-text" aria-label="Documents that failed">
              {progress.failures.slice(0, 20).map((f) => (
                <li key={f.documentId}>
                  {f.name}: {f.error}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
