/**
 * Pickers for node fields that name tenant records by id (`NodeDefinition.references`): the
 * inspector shows names instead of UUIDs. An id the tenant no longer has stays visible as
 * missing until it is removed, because publishing refuses it.
 */
import { useId, type ComponentType, type ReactNode } from 'react';
import type { ReferenceKind } from '../../../core/nodes/define';
import { api } from '../api/client';
import { Link } from '../app/router';
import { errorMessage } from '../pages/shared/errors';
import { useQuery } from '../pages/shared/useQuery';
import type { KnowledgeBase, KnowledgeBaseList } from '../pages/knowledge/types';
import { Badge, Button, Checkbox, Field, Select, Spinner } from '../ui';

export interface ReferencePickerProps {
  label: ReactNode;
  help?: string;
  error?: string;
  value: string[];
  onChange: (ids: string[]) => void;
}

/** The last list loaded, shown while the next node's picker reloads it (no flash of a spinner). */
let lastKnowledgeBases: KnowledgeBase[] | undefined;

const documents = (n: number) => `${n} document${n === 1 ? '' : 's'}`;

function KnowledgeBasePicker({ label, help, error, value, onChange }: ReferencePickerProps) {
  const id = useId();
  const query = useQuery(async () => (lastKnowledgeBases = (await api.get<KnowledgeBaseList>('/v1/knowledge-bases')).knowledgeBases), []);
  const list = query.data ?? lastKnowledgeBases;
  const known = new Set(list?.map((kb) => kb.id));
  const missing = query.data ? value.filter((kbId) => !known.has(kbId)) : [];
  const remove = (kbId: string) => onChange(value.filter((v) => v !== kbId));
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;

  return (
    <fieldset className="form-group ref-picker" aria-describedby={describedBy}>
      <legend>{label}</legend>
      {list?.length === 0 && <p className="field-help">This workspace has no knowledge bases yet.</p>}
      {list && list.length > 0 && (
        <ul className="ref-options">
          {list.map((kb) => (
            <li key={kb.id}>
              <Checkbox
                label={
                  <>
                    {kb.name} <Badge>{documents(kb.documentCount)}</Badge>
                  </>
                }
                checked={value.includes(kb.id)}
                onChange={(e) => onChange(e.target.checked ? [...value, kb.id] : value.filter((v) => v !== kb.id))}
              />
            </li>
          ))}
        </ul>
      )}
      {!list && query.loading && <Spinner label="Loading knowledge bases" />}
      {query.error != null && (
        <div className="ref-problem">
          <span className="field-error" role="alert">
            Could not load the knowledge bases: {errorMessage(query.error)}
          </span>
          <Button size="sm" onClick={() => void query.reload()}>
            Retry
          </Button>
        </div>
      )}
      {missing.length > 0 && (
        <ul className="ref-options" aria-label="Missing knowledge bases">
          {missing.map((kbId) => (
            <li key={kbId} className="ref-missing">
              <Badge tone="danger">missing knowledge base</Badge>
              <code className="mono" title={kbId}>
                {kbId}
              </code>
              <Button size="sm" variant="ghost" aria-label={`Remove missing knowledge base ${kbId}`} onClick={() => remove(kbId)}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      {help && (
        <p className="field-help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      <div className="ref-actions">
        {/* A new tab keeps the builder as it is; Refresh then picks up what was created there. */}
        <Link to="/knowledge" target="_blank" rel="noopener">
          Manage knowledge bases
        </Link>
        <Button size="sm" variant="ghost" onClick={() => void query.reload()}>
          Refresh
        </Button>
      </div>
    </fieldset>
  );
}

interface Option {
  id: string;
  name: string;
  /** A service may be inactive; a brand voice may be the default. */
  note?: string;
}

/** A picker of one record (or none); an id the tenant no longer has shows as missing. */
function singlePicker(opts: { path: string; noun: string; none: string; option: (row: any) => Option }) {
  return function SinglePicker({ label, help, error, value, onChange }: ReferencePickerProps) {
    const query = useQuery(async () => (await api.get<{ items: unknown[] }>(opts.path)).items.map(opts.option), []);
    const current = value.at(-1) ?? '';
    const missing = query.data && current && !query.data.some((s) => s.id === current);
    const options = [
      { value: '', label: opts.none },
      ...(query.data ?? []).map((s) => ({ value: s.id, label: s.note ? `${s.name} (${s.note})` : s.name })),
      ...(missing ? [{ value: current, label: `missing ${opts.noun} ${current}` }] : []),
    ];
    return (
      <Field label={label} help={help} error={error ?? (query.error != null ? `Could not load the ${opts.noun}s: ${errorMessage(query.error)}` : undefined)}>
        <Select value={current} options={options} onChange={(e) => onChange(e.target.value ? [e.target.value] : [])} />
      </Field>
    );
  };
}

const ServicePicker = singlePicker({ path: '/v1/services', noun: 'service', none: 'Ask the contact', option: (s) => ({ id: s.id, name: s.name, note: s.active ? undefined : 'inactive' }) });
const BrandVoicePicker = singlePicker({ path: '/v1/brand-voices', noun: 'brand voice', none: 'No brand voice', option: (v) => ({ id: v.id, name: v.name, note: v.isDefault ? 'default' : undefined }) });

export const REFERENCE_PICKERS: Record<ReferenceKind, ComponentType<ReferencePickerProps>> = {
  knowledgeBase: KnowledgeBasePicker,
  service: ServicePicker,
  brandVoice: BrandVoicePicker,
};

/** The picker's legend for each kind (the field names end in "Ids", which reads as a UUID box). */
export const REFERENCE_LABELS: Record<ReferenceKind, string> = {
  knowledgeBase: 'Knowledge bases',
  service: 'Service',
  brandVoice: 'Brand voice',
};
