/** The optional reranker (admins): a `/rerank` cross-encoder or a chat model scoring passages. */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { rerankerSettingsView } from '../../../../core/api/admin';
import { Field, Select } from '../../ui';
import { errorMessage } from '../shared/errors';
import { EndpointFields, ProviderActions, ProviderLoading, ProviderStatus, useProviderForm } from './provider';

type RerankerView = z.infer<typeof rerankerSettingsView>;
type Kind = NonNullable<RerankerView['kind']>;

const KINDS = [
  { value: 'rerank-api', label: 'Cross-encoder (/rerank API: Cohere, Jina, vLLM, Infinity, LocalAI)' },
  { value: 'llm', label: 'Chat model (OpenAI-compatible, one score per passage)' },
];

export function RerankerSection() {
  const form = useProviderForm<RerankerView>('/v1/settings/reranker', ['kind']);
  const [kind, setKind] = useState<Kind>('rerank-api');
  const { view } = form;
  useEffect(() => {
    if (view) setKind(view.kind ?? 'rerank-api');
  }, [view]);
  if (!view && form.settings.loading) return <ProviderLoading what="reranker" />;

  return (
    <form onSubmit={(e) => void form.save(e, () => ({ kind }), () => 'Reranker saved')} noValidate aria-label="Reranker" className="pg-form-narrow">
      <p className="pg-muted">
        Used by knowledge bases and searches with reranking on. <ProviderStatus view={view} unset="none (fused order)" />
      </p>
      {form.settings.error != null && <p className="pg-error-text" role="alert">{errorMessage(form.settings.error)}</p>}
      <Field label="Kind" error={form.fieldError('kind')}>
        <Select value={kind} onChange={(e) => setKind(e.target.value as Kind)} options={KINDS} />
      </Field>
      <EndpointFields form={form} urlHelp="e.g. https://api.cohere.com/v2" modelPlaceholder={kind === 'llm' ? 'gpt-4o-mini' : 'rerank-v3.5'} />
      <ProviderActions
        form={form}
        onTest={() => void form.runTest({ kind })}
        onRemove={() => void form.remove(() => 'Reranker removed: searches keep the fused order')}
        removeLabel="Remove reranker"
        removeTitle="Remove the reranker?"
        removeMessage="Searches with reranking on keep the fused order until a reranker is set again."
      />
    </form>
  );
}
