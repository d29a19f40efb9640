/**
 * The workspace's language model (admins): endpoint, model and key (write-only, see provider.tsx),
 * optional pricing and fallbacks, and a connection test.
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { llmSettingsView } from '../../../../core/api/admin';
import { Button, Field, Input } from '../../ui';
import { errorMessage } from '../shared/errors';
import { EndpointFields, keyBody, ProviderActions, ProviderLoading, ProviderStatus, useProviderForm } from './provider';

type LlmView = z.infer<typeof llmSettingsView>;
interface FallbackForm {
  baseURL: string;
  model: string;
  apiKey: string;
  apiKeySet: boolean;
}

const emptyFallback = (): FallbackForm => ({ baseURL: '', model: '', apiKey: '', apiKeySet: false });

export function LlmSection() {
  const form = useProviderForm<LlmView>('/v1/settings/llm', ['pricing', 'fallbacks']);
  const [inputPrice, setInputPrice] = useState('');
  const [outputPrice, setOutputPrice] = useState('');
  const [fallbacks, setFallbacks] = useState<FallbackForm[]>([]);
  const { view, errors, fieldError, pathError } = form;

  // Pricing and fallbacks start from what is stored, as the endpoint does.
  useEffect(() => {
    if (!view) return;
    setInputPrice(view.pricing ? String(view.pricing.inputPer1M) : '');
    setOutputPrice(view.pricing ? String(view.pricing.outputPer1M) : '');
    setFallbacks(view.fallbacks.map((f) => ({ ...f, apiKey: '' })));
  }, [view]);

  const extra = () => ({
    ...(inputPrice || outputPrice ? { pricing: { inputPer1M: Number(inputPrice || 0), outputPer1M: Number(outputPrice || 0) } } : {}),
    fallbacks: fallbacks.map((f) => ({ baseURL: f.baseURL.trim(), model: f.model.trim(), ...keyBody(f.apiKey, f.apiKeySet) })),
  });

  const setFallback = (i: number, patch: Partial<FallbackForm>) => setFallbacks(fallbacks.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const fallbackError = (i: number, field: string) => pathError(`fallbacks.${i}.${field}`);

  if (!view && form.settings.loading) return <ProviderLoading what="language model" />;

  return (
    <form onSubmit={(e) => void form.save(e, extra, () => 'Language model saved')} noValidate aria-label="Language model" className="pg-form-narrow">
      <p className="pg-muted">
        Any OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM…). <ProviderStatus view={view} unset="offline responder (no model)" />
      </p>
      {form.settings.error != null && <p className="pg-error-text" role="alert">{errorMessage(form.settings.error)}</p>}
      <EndpointFields form={form} urlHelp="e.g. https://api.openai.com/v1" modelPlaceholder="gpt-4o-mini" />
      <div className="pg-filters">
        <Field label="Input price (USD per 1M tokens)" error={fieldError('pricing')}>
          <Input type="number" min={0} step="0.01" value={inputPrice} onChange={(e) => setInputPrice(e.target.value)} />
        </Field>
        <Field label="Output price (USD per 1M tokens)">
          <Input type="number" min={0} step="0.01" value={outputPrice} onChange={(e) => setOutputPrice(e.target.value)} />
        </Field>
      </div>

      <section className="pg-section" aria-label="Fallbacks">
        <h3 className="pg-h3">Fallbacks</h3>
        <p className="pg-muted">Tried in order when the model above fails.</p>
        {errors.path === 'fallbacks' && <p className="pg-error-text" role="alert">{errors.fields.fallbacks}</p>}
        {fallbacks.map((f, i) => (
          <div key={i} className="pg-filters" role="group" aria-label={`Fallback ${i + 1}`}>
            <Field label={`Fallback ${i + 1} base URL`} error={fallbackError(i, 'baseURL')}>
              <Input type="url" value={f.baseURL} onChange={(e) => setFallback(i, { baseURL: e.target.value })} />
            </Field>
            <Field label="Model" error={fallbackError(i, 'model')}>
              <Input value={f.model} onChange={(e) => setFallback(i, { model: e.target.value })} />
            </Field>
            <Field label="API key" error={fallbackError(i, 'apiKey')}>
              <Input type="password" value={f.apiKey} onChange={(e) => setFallback(i, { apiKey: e.target.value })} placeholder={f.apiKeySet ? '•••••••• (stored)' : ''} autoComplete="new-password" />
            </Field>
            <Button variant="ghost" onClick={() => setFallbacks(fallbacks.filter((_, j) => j !== i))} aria-label={`Remove fallback ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button size="sm" onClick={() => setFallbacks([...fallbacks, emptyFallback()])} disabled={fallbacks.length >= 5}>
            Add fallback
          </Button>
        </div>
      </section>

      <ProviderActions
        form={form}
        onTest={() => void form.runTest()}
        onRemove={() => void form.remove(() => 'Language model removed: the offline responder answers again')}
        removeLabel="Remove model"
        removeTitle="Remove the language model?"
        removeMessage="Bots answer with the offline responder (the best knowledge-base passage) until a model is set again."
      />
    </form>
  );
}
