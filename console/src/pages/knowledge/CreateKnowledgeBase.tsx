/** The "New knowledge base" dialog: name, description, language and (optionally) chunking. */
import { useState } from 'react';
import { api } from '../../api/client';
import { KNOWLEDGE_LANGUAGES, type KnowledgeLanguage } from '../../../../core/knowledge/types';
import { Field, FormDialog, Input, Select, Textarea, useToast } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';
import type { Created } from './types';

const LANGUAGE_OPTIONS = KNOWLEDGE_LANGUAGES.map((value) => ({ value, label: value === 'simple' ? 'Other (no stemming)' : value.charAt(0).toUpperCase() + value.slice(1) }));

export function CreateKnowledgeBase({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [chunkSize, setChunkSize] = useState('');
  const [chunkOverlap, setChunkOverlap] = useState('');
  const [language, setLanguage] = useState<KnowledgeLanguage>('english');
  const { submit, busy, errors, fieldError } = useSubmit(
    ['name', 'description', 'language', 'chunkSize', 'chunkOverlap'],
    async () => {
      const body = {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        language,
        ...(chunkSize ? { chunkSize: Number(chunkSize) } : {}),
        ...(chunkOverlap ? { chunkOverlap: Number(chunkOverlap) } : {}),
      };
      const { id } = await api.post<Created>('/v1/knowledge-bases', body);
      toast.success(`Created ${body.name}`);
      setName('');
      setDescription('');
      setChunkSize('');
      setChunkOverlap('');
      setLanguage('english');
      onCreated(id);
    },
    { validate: () => (name.trim() ? null : ['name', 'Give the knowledge base a name.']) },
  );

  return (
    <FormDialog title="New knowledge base" open={open} onClose={onClose} onSubmit={() => void submit()} submitLabel="Create" busy={busy} error={errors.form}>
      <Field label="Name" error={fieldError('name')}>
        <Input value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
      <Field label="Description (optional)" error={fieldError('description')}>
        <Textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      </Field>
      <Field label="Language" help="Stemming and stop words for keyword search." error={fieldError('language')}>
        <Select value={language} onChange={(e) => setLanguage(e.target.value as KnowledgeLanguage)} options={LANGUAGE_OPTIONS} />
      </Field>
      <div className="pg-filters">
        <Field label="Chunk size (tokens)" help="Default when empty." error={fieldError('chunkSize')}>
          <Input type="number" min={50} max={4000} value={chunkSize} onChange={(e) => setChunkSize(e.target.value)} />
        </Field>
        <Field label="Chunk overlap (tokens)" help="Default when empty." error={fieldError('chunkOverlap')}>
          <Input type="number" min={0} max={1000} value={chunkOverlap} onChange={(e) => setChunkOverlap(e.target.value)} />
        </Field>
      </div>
    </FormDialog>
  );
}
