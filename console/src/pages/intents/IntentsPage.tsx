/**
 * Intents: what contacts want, taught by example utterances. Builders add, edit, import and delete
 * intents; everyone sees the offline classifier's cross-validated accuracy on the examples, tries a
 * sentence, and counts labelled conversations per intent and sentiment over a date range.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Button, Field, Input, Panel, Textarea, useToast } from '../../ui';
import { Figure } from '../shared/Figure';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { useQuery } from '../shared/useQuery';
import { ImportExamplesDialog } from './ImportExamplesDialog';
import { LabelCountsPanel } from './LabelCountsPanel';
import { TryIntent } from './TryIntent';
import { percent, type IntentDto, type IntentEvaluation, type IntentSummary } from './types';
import '../pages.css';

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

export function IntentsPage() {
  const { user } = useAuth();
  const writer = can.build(user?.role);
  const toast = useToast();
  const intents = useQuery(async () => (await api.get<{ items: IntentSummary[] }>('/v1/intents')).items, []);
  const evaluation = useQuery(() => api.get<IntentEvaluation>('/v1/intents/evaluation'), [intents.data]);
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const currentId = selected === 'new' ? null : (selected ?? intents.data?.[0]?.id ?? null);
  const current = useQuery(() => (currentId ? api.get<IntentDto>(`/v1/intents/${currentId}`) : Promise.resolve(null)), [currentId]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [examples, setExamples] = useState('');
  const [importing, setImporting] = useState(false);
  useEffect(() => {
    const c = selected === 'new' ? null : current.data;
    setName(c?.name ?? '');
    setDescription(c?.description ?? '');
    setExamples(c?.examples.join('\n') ?? '');
  }, [selected, current.data?.id, current.data?.updatedAt]);

  const save = useSubmit(['name', 'description', 'examples'], async () => {
    const body = { name: name.trim(), description: description.trim(), examples: lines(examples) };
    const saved = currentId ? await api.put<IntentDto>(`/v1/intents/${currentId}`, body) : await api.post<IntentDto>('/v1/intents', body);
    toast.success('Intent saved');
    await intents.reload();
    setSelected(saved.id);
    await current.reload();
  });
  const remove = useConfirmAction<IntentDto>({
    title: 'Delete this intent?',
    message: (i) => `“${i.name}” and its ${i.exampleCount} examples go; conversations keep the labels they have.`,
    confirmLabel: 'Delete',
    run: async (i) => {
      await api.del(`/v1/intents/${i.id}`);
      setSelected(null);
      await intents.reload();
    },
  });
  const e = evaluation.data;

  return (
    <div className="page">
      <div className="page-head">
        <h1>Intents</h1>
        {writer && (
          <div className="page-head-actions">
            <Button onClick={() => setImporting(true)}>Import examples</Button>
            <Button variant="primary" onClick={() => setSelected('new')}>
              New intent
            </Button>
          </div>
        )}
      </div>
      <dl className="sc-figures" aria-label="Classifier">
        <Figure label="Intents" value={e ? String(e.intents) : '—'} />
        <Figure label="Examples" value={e ? String(e.examples) : '—'} />
        <Figure label="Cross-validated accuracy" value={e ? percent(e.accuracy) : '—'} hint={e?.folds ? `${e.folds}-fold, ${e.evaluated} examples held out` : 'needs two intents with examples'} />
      </dl>
      <div className="pg-split pg-split-wide">
        <Panel title="Intents">
          <QueryStatus query={intents} loadingLabel="Loading intents">
            {(rows = []) =>
              rows.length ? (
                <ul className="pg-list" aria-label="Intents">
                  {rows.map((i) => (
                    <li key={i.id}>
                      <button type="button" className="pg-list-item" aria-current={currentId === i.id} onClick={() => setSelected(i.id)}>
                        <div className="pg-list-title">{i.name}</div>
                        <div className="pg-list-sub">
                          {i.exampleCount} example{i.exampleCount === 1 ? '' : 's'}
                          {i.description ? ` · ${i.description}` : ''}
                        </div>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="pg-muted">No intents yet: add one with a few ways a contact would say it.</p>
              )
            }
          </QueryStatus>
        </Panel>
        <Panel title={currentId ? name || 'Intent' : 'New intent'}>
          <form className="pg-col" onSubmit={(ev) => void save.submit(ev)}>
            <Field label="Name" error={save.fieldError('name')} help="Lower-case letters, digits, _ . - (flows and filters use it)">
              <Input value={name} onChange={(ev) => setName(ev.target.value)} disabled={!writer} placeholder="card_arrival" />
            </Field>
            <Field label="Description" error={save.fieldError('description')}>
              <Input value={description} onChange={(ev) => setDescription(ev.target.value)} disabled={!writer} placeholder="The contact asks where their card is" />
            </Field>
            <Field label="Examples, one per line" error={save.fieldError('examples') ?? Object.entries(save.errors.fields).find(([k]) => k.startsWith('examples.'))?.[1]}>
              <Textarea rows={10} value={examples} onChange={(ev) => setExamples(ev.target.value)} disabled={!writer} placeholder={'where is my card\nmy card has not arrived yet'} />
            </Field>
            {save.errors.form && <p className="pg-error-text">{save.errors.form}</p>}
            {writer && (
              <div className="pg-row">
                <Button type="submit" variant="primary" disabled={save.busy}>
                  Save intent
                </Button>
                {currentId && current.data && (
                  <Button variant="ghost" onClick={() => remove.ask(current.data!)}>
                    Delete
                  </Button>
                )}
              </div>
            )}
          </form>
        </Panel>
      </div>
      <TryIntent />
      <LabelCountsPanel />
      <ImportExamplesDialog open={importing} onClose={() => setImporting(false)} onImported={() => void intents.reload()} />
      {remove.dialog}
    </div>
  );
}
