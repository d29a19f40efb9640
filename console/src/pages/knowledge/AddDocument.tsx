/**
 * Adding a document: a file (with upload progress), a URL the ingestion fetches, or pasted text.
 * The new document appears in the list at once and its indexing progress follows there.
 */
import { useState, type ReactNode } from 'react';
import { api } from '../../api/client';
import { Button, Field, FormError, Input, Tabs, Textarea, useToast } from '../../ui';
import { formatBytes } from '../shared/format';
import { useSubmit, type Invalid } from '../shared/useAsyncAction';
import { uploadDocument } from './upload';
import { MAX_DOCUMENT_BYTES, type DocumentAccepted } from './types';

type Mode = 'file' | 'url' | 'text';

export function AddDocument({ knowledgeBaseId, onAdded }: { knowledgeBaseId: string; onAdded: (accepted: DocumentAccepted) => void }) {
  const toast = useToast();
  const [mode, setMode] = useState<Mode>('file');
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  // A file input cannot be cleared by value: a new key gives a fresh one.
  const [fileKey, setFileKey] = useState(0);

  const reset = () => {
    setFile(null);
    setUrl('');
    setText('');
    setName('');
    setFileKey((k) => k + 1);
  };

  const validate = (): Invalid | null => {
    if (mode !== 'file') return null;
    if (!file) return ['file', 'Choose a file to upload.'];
    if (file.size > MAX_DOCUMENT_BYTES) return ['file', `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_DOCUMENT_BYTES)}.`];
    return null;
  };

  const send = async () => {
    try {
      let accepted: DocumentAccepted;
      if (mode === 'file') {
        setProgress(0);
        accepted = await uploadDocument(knowledgeBaseId, file!, name.trim() || undefined, setProgress);
      } else {
        const body = mode === 'url' ? { url: url.trim(), ...(name.trim() ? { name: name.trim() } : {}) } : { text, name: name.trim() };
        accepted = await api.post<DocumentAccepted>(`/v1/knowledge-bases/${knowledgeBaseId}/documents`, body);
      }
      toast.success('Document added: indexing started');
      reset();
      onAdded(accepted);
    } finally {
      setProgress(null);
    }
  };
  const { submit, busy, errors, clear, fieldError } = useSubmit(['file', 'url', 'text', 'name'], send, { validate });

  const nameField = (required: boolean) => (
    <Field label={required ? 'Name' : 'Name (optional)'} error={fieldError('name')}>
      <Input value={name} onChange={(e) => setName(e.target.value)} />
    </Field>
  );

  const forms: Record<Mode, ReactNode> = {
    file: (
      <>
        <Field label="File" help="PDF, Word (.docx), Markdown, HTML, CSV or plain text; 25 MB at most." error={fieldError('file')}>
          <Input key={fileKey} type="file" accept=".pdf,.docx,.md,.markdown,.html,.htm,.csv,.txt,text/*,application/pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Field>
        {nameField(false)}
      </>
    ),
    url: (
      <>
        <Field label="URL" help="Fetched by the ingestion; fetched again on reindex." error={fieldError('url')}>
          <Input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/faq" />
        </Field>
        {nameField(false)}
      </>
    ),
    text: (
      <>
        {nameField(true)}
        <Field label="Text" error={fieldError('text')}>
          <Textarea value={text} onChange={(e) => setText(e.target.value)} rows={6} />
        </Field>
      </>
    ),
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add a document">
      <Tabs
        label="Document source"
        active={mode}
        onChange={(id) => {
          setMode(id as Mode);
          clear();
        }}
        tabs={[
          { id: 'file', label: 'Upload', content: forms.file },
          { id: 'url', label: 'URL', content: forms.url },
          { id: 'text', label: 'Paste text', content: forms.text },
        ]}
      />
      <FormError message={errors.form} />
      <div className="pg-row">
        <Button type="submit" variant="primary" disabled={busy}>
          Add document
        </Button>
        <div className="pg-grow pg-status-line">
          {progress !== null && (
            <progress className="pg-progress" max={1} value={progress} aria-label="Upload progress">
              {Math.round(progress * 100)}%
            </progress>
          )}
        </div>
      </div>
    </form>
  );
}
