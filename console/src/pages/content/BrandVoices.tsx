/**
 * Brand voices: the list (default first), the editor (tone, words to use and avoid, examples,
 * emoji policy, language) and "Try it", which rewrites a message in the voice with the tenant's
 * model, or checks it against the voice when no model is configured. Marketers, approvers and
 * admins edit; everyone else reads (the API enforces the same).
 */
import { useEffect, useState } from 'react';
import type { BrandVoiceDto } from '../../../../core/api/content';
import { EMOJI_POLICIES, type EmojiPolicy } from '../../../../core/campaigns/brand-voice';
import { api } from '../../api/client';
import { Badge, Button, Checkbox, Field, Input, Panel, Select, Table, Textarea, useToast } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { useQuery } from '../shared/useQuery';

const EMOJI_LABELS: Record<EmojiPolicy, string> = { none: 'No emoji', sparingly: 'Sparingly (one at most)', freely: 'Freely' };
const FIELDS = ['name', 'tone', 'useWords', 'avoidWords', 'examples', 'emojiPolicy', 'language', 'isDefault'] as const;
const words = (value: string) => value.split(',').map((w) => w.trim()).filter(Boolean);
const lines = (value: string) => value.split('\n').map((l) => l.trim()).filter(Boolean);

interface Draft {
  name: string;
  tone: string;
  useWords: string;
  avoidWords: string;
  examples: string;
  emojiPolicy: EmojiPolicy;
  language: string;
  isDefault: boolean;
}

const draftOf = (v: BrandVoiceDto | null): Draft => ({
  name: v?.name ?? '',
  tone: v?.tone ?? '',
  useWords: v?.useWords.join(', ') ?? '',
  avoidWords: v?.avoidWords.join(', ') ?? '',
  examples: v?.examples.join('\n') ?? '',
  emojiPolicy: v?.emojiPolicy ?? 'sparingly',
  language: v?.language ?? 'en',
  isDefault: v?.isDefault ?? false,
});

export function BrandVoices({ canManage }: { canManage: boolean }) {
  const voices = useQuery(async () => (await api.get<{ items: BrandVoiceDto[] }>('/v1/brand-voices')).items, []);
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const current = selected === 'new' ? null : (voices.data?.find((v) => v.id === selected) ?? voices.data?.[0] ?? null);
  const creating = selected === 'new' || (voices.data?.length === 0 && canManage);

  return (
    <div className="pg-split">
      <Panel title="Brand voices" actions={canManage && <Button size="sm" onClick={() => setSelected('new')}>New voice</Button>}>
        <QueryStatus query={voices} loadingLabel="Loading brand voices">
          {(items) => (
            <Table
              caption="Brand voices"
              rows={items ?? []}
              rowKey={(v) => v.id}
              empty="No brand voice yet."
              columns={[
                {
                  key: 'name',
                  header: 'Voice',
                  render: (v) => (
                    <Button variant="ghost" size="sm" onClick={() => setSelected(v.id)} aria-current={current?.id === v.id && !creating ? 'true' : undefined}>
                      {v.name}
                    </Button>
                  ),
                },
                { key: 'default', header: '', render: (v) => (v.isDefault ? <Badge tone="info">default</Badge> : null) },
              ]}
            />
          )}
        </QueryStatus>
      </Panel>
      <div className="pg-col">
        {(creating || current) && (
          <VoiceEditor
            key={creating ? 'new' : current!.id}
            voice={creating ? null : current}
            canManage={canManage}
            onSaved={(id) => {
              voices.reload();
              setSelected(id);
            }}
            onDeleted={() => {
              voices.reload();
              setSelected(null);
            }}
          />
        )}
        {!creating && current && <TryIt voice={current} canTry={canManage} />}
      </div>
    </div>
  );
}

function VoiceEditor({ voice, canManage, onSaved, onDeleted }: { voice: BrandVoiceDto | null; canManage: boolean; onSaved: (id: string) => void; onDeleted: () => void }) {
  const toast = useToast();
  const [draft, setDraft] = useState<Draft>(() => draftOf(voice));
  useEffect(() => setDraft(draftOf(voice)), [voice]);
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const { submit, busy, errors, fieldError } = useSubmit(FIELDS, async () => {
    const body = { ...draft, useWords: words(draft.useWords), avoidWords: words(draft.avoidWords), examples: lines(draft.examples) };
    const saved = voice ? await api.patch<BrandVoiceDto>(`/v1/brand-voices/${voice.id}`, body) : await api.post<BrandVoiceDto>('/v1/brand-voices', body);
    toast.success(`Saved ${saved.name}`);
    onSaved(saved.id);
  });
  const remove = useConfirmAction<BrandVoiceDto>({
    title: 'Delete brand voice?',
    message: (v) => `“${v.name}” will no longer shape generated content or AI replies that name it.`,
    confirmLabel: 'Delete',
    run: async (v) => {
      await api.del(`/v1/brand-voices/${v.id}`);
      toast.success(`Deleted ${v.name}`);
      onDeleted();
    },
  });

  return (
    <Panel title={voice ? voice.name : 'New brand voice'}>
      <form className="pg-col" onSubmit={(e) => void submit(e)}>
        <fieldset className="pg-col" disabled={!canManage} style={{ border: 0, padding: 0, margin: 0 }}>
          <Field label="Name" error={fieldError('name')}>
            <Input value={draft.name} onChange={(e) => set('name')(e.target.value)} />
          </Field>
          <Field label="Tone" help="How it sounds, e.g. “warm, playful, never pushy”." error={fieldError('tone')}>
            <Input value={draft.tone} onChange={(e) => set('tone')(e.target.value)} />
          </Field>
          <Field label="Words to use" help="Separated by commas." error={fieldError('useWords')}>
            <Input value={draft.useWords} onChange={(e) => set('useWords')(e.target.value)} />
          </Field>
          <Field label="Words to avoid" help="Separated by commas; generated content using one is flagged." error={fieldError('avoidWords')}>
            <Input value={draft.avoidWords} onChange={(e) => set('avoidWords')(e.target.value)} />
          </Field>
          <Field label="Example messages" help="One per line: the model imitates them." error={fieldError('examples')}>
            <Textarea rows={3} value={draft.examples} onChange={(e) => set('examples')(e.target.value)} />
          </Field>
          <div className="pg-row">
            <Field label="Emoji" error={fieldError('emojiPolicy')}>
              <Select value={draft.emojiPolicy} onChange={(e) => set('emojiPolicy')(e.target.value as EmojiPolicy)} options={EMOJI_POLICIES.map((p) => ({ value: p, label: EMOJI_LABELS[p] }))} />
            </Field>
            <Field label="Language" help="e.g. en, fr-CA" error={fieldError('language')}>
              <Input value={draft.language} onChange={(e) => set('language')(e.target.value)} />
            </Field>
          </div>
          <Checkbox label="Default voice (used when a brief names none)" checked={draft.isDefault} onChange={(e) => set('isDefault')(e.target.checked)} />
        </fieldset>
        {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
        {canManage && (
          <div className="pg-row pg-row-end">
            {voice && (
              <Button type="button" variant="ghost" onClick={() => remove.ask(voice)}>
                Delete
              </Button>
            )}
            <Button type="submit" variant="primary" disabled={busy}>
              {voice ? 'Save voice' : 'Create voice'}
            </Button>
          </div>
        )}
      </form>
      {remove.dialog}
    </Panel>
  );
}

interface Sample {
  sample: string;
  generatedBy: string;
  warnings: string[];
}

function TryIt({ voice, canTry }: { voice: BrandVoiceDto; canTry: boolean }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<Sample | null>(null);
  const { submit, busy, errors, fieldError } = useSubmit(['text'], async () => setResult(await api.post<Sample>(`/v1/brand-voices/${voice.id}/try`, { text })), {
    validate: () => (text.trim() ? null : ['text', 'Write a message to try the voice on.']),
  });
  return (
    <Panel title="Try it">
      <form className="pg-col" onSubmit={(e) => void submit(e)}>
        <Field label="Message" help="Rewritten in this voice by your language model (without one, it is checked against the voice)." error={fieldError('text')}>
          <Textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} disabled={!canTry} />
        </Field>
        {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
        <div className="pg-row pg-row-end">
          <Button type="submit" disabled={busy || !canTry}>
            Try the voice
          </Button>
        </div>
      </form>
      {result && (
        <section aria-label="Sample" className="pg-col">
          <p className="pg-muted">Written by {result.generatedBy}</p>
          <blockquote data-testid="voice-sample" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
            {result.sample}
          </blockquote>
          {result.warnings.length > 0 && (
            <ul aria-label="Warnings">
              {result.warnings.map((w) => (
                <li key={w}>
                  <Badge tone="warning">{w}</Badge>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Panel>
  );
}
