/**
 * The workspace's language model (admins): endpoint, model and key (write-only: the stored key is
 * never shown, an empty field keeps it), optional pricing and fallbacks, and a connection test.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { Badge, Button, ConfirmDialog, Field, FormError, Input, Spinner, useToast } from '../../ui';
import { errorMessage, useFormErrors } from '../shared/errors';
import { useAsyncAction } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

interface Endpoint {
  baseURL: string;
  model: string;
  apiKeySet: boolean;
}
interface LlmView {
  configured: boolean;
  baseURL?: string;
  model?: string;
  apiKeySet: boolean;
  pricing?: { inputPer1M: number; outputPer1M: number };
  fallbacks: Endpoint[];
}
interface TestResult {
  ok: boolean;
  detail: string;
  latencyMs: number;
}
interface FallbackForm {
  baseURL: string;
  model: string;
  apiKey: string;
  apiKeySet: boolean;
}

const emptyFallback = (): FallbackForm => ({ baseURL: '', model: '', apiKey: '', apiKeySet: false });

export function LlmSection() {
  const toast = useToast();
  const settings = useQuery(() => api.get<LlmView>('/v1/settings/llm'), []);
  const [baseURL, setBaseURL] = useState('');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [inputPrice, setInputPrice] = useState('');
  const [outputPrice, setOutputPrice] = useState('');
  const [fallbacks, setFallbacks] = useState<FallbackForm[]>([]);
  const [test, setTest] = useState<TestResult | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const { errors, capture, clear, fieldError, pathError } = useFormErrors(['baseURL', 'model', 'apiKey', 'pricing', 'fallbacks']);
  // One of save, test and remove runs at a time; save and test report onto the fields.
  const action = useAsyncAction(capture);
  const busy = action.pending as 'save' | 'test' | 'remove' | null;
  const view = settings.data;

  // The form starts from what is stored (and again after each save).
  useEffect(() => {
    if (!view) return;
    setBaseURL(view.baseURL ?? '');
    setModel(view.model ?? '');
    setApiKey('');
    setInputPrice(view.pricing ? String(view.pricing.inputPer1M) : '');
    setOutputPrice(view.pricing ? String(view.pricing.outputPer1M) : '');
    setFallbacks(view.fallbacks.map((f) => ({ ...f, apiKey: '' })));
  }, [view]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    clear();
    await action.run('save', async () => {
      const body = {
        baseURL: baseURL.trim(),
        model: model.trim(),
        // Empty keeps the stored key; a first setup without a key sends "" (local servers).
        ...(apiKey ? { apiKey } : view?.apiKeySet ? {} : { apiKey: '' }),
        ...(inputPrice || outputPrice ? { pricing: { inputPer1M: Number(inputPrice || 0), outputPer1M: Number(outputPrice || 0) } } : {}),
        fallbacks: fallbacks.map((f) => ({ baseURL: f.baseURL.trim(), model: f.model.trim(), ...(f.apiKey ? { apiKey: f.apiKey } : f.apiKeySet ? {} : { apiKey: '' }) })),
      };
      settings.setData(await api.put<LlmView>('/v1/settings/llm', body));
      toast.success('Language model saved');
    });
  };

  const runTest = async () => {
    setTest(null);
    clear();
    await action.run('test', async () => {
      const body = { ...(baseURL.trim() ? { baseURL: baseURL.trim() } : {}), ...(model.trim() ? { model: model.trim() } : {}), ...(apiKey ? { apiKey } : {}) };
      setTest(await api.post<TestResult>('/v1/settings/llm/test', body));
    });
  };

  const remove = () =>
    action.run(
      'remove',
      async () => {
        await api.del('/v1/settings/llm');
        toast.success('Language model removed: the offline responder answers again');
        setConfirmRemove(false);
        setTest(null);
        await settings.reload();
      },
      (err) => toast.error(errorMessage(err)),
    );

  const setFallback = (i: number, patch: Partial<FallbackForm>) => setFallbacks(fallbacks.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const fallbackError = (i: number, field: string) => pathError(`fallbacks.${i}.${field}`);

  if (!view && settings.loading) {
    return (
      <div className="pg-center">
        <Spinner label="Loading the language model settings" />
      </div>
    );
  }

  return (
    <form onSubmit={save} noValidate aria-label="Language model" className="pg-form-narrow">
      <p className="pg-muted">
        Any OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM…).{' '}
        {view?.configured ? <Badge tone="success">configured</Badge> : <Badge tone="neutral">offline responder (no model)</Badge>}
      </p>
      {settings.error != null && <p className="pg-error-text" role="alert">{errorMessage(settings.error)}</p>}
      <Field label="Base URL" help="e.g. https://api.openai.com/v1" error={fieldError('baseURL')}>
        <Input type="url" value={baseURL} onChange={(e) => setBaseURL(e.target.value)} autoComplete="off" />
      </Field>
      <Field label="Model" error={fieldError('model')}>
        <Input value={model} onChange={(e) => setModel(e.target.value)} placeholder="gpt-4o-mini" autoComplete="off" />
      </Field>
      <Field
        label="API key"
        help={view?.apiKeySet ? 'A key is stored and never shown. Leave empty to keep it; type a new one to replace it.' : 'Leave empty for servers without a key.'}
        error={fieldError('apiKey')}
      >
        <Input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="new-password" placeholder={view?.apiKeySet ? '•••••••• (stored)' : ''} />
      </Field>
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

      <FormError message={errors.form} />
      <div className="pg-row">
        <Button type="submit" variant="primary" disabled={busy !== null}>
          Save
        </Button>
        <Button onClick={() => void runTest()} disabled={busy !== null}>
          Test connection
        </Button>
        {view?.configured && (
          <Button variant="ghost" onClick={() => setConfirmRemove(true)} disabled={busy !== null}>
            Remove model
          </Button>
        )}
        <div className="pg-grow pg-status-line" role="status" aria-label="Connection test result">
          {busy === 'test' && <Spinner label="Testing the connection" />}
          {test && (
            <span className="pg-row">
              <Badge tone={test.ok ? 'success' : 'danger'}>{test.ok ? 'Connected' : 'Failed'}</Badge>
              <span>{test.detail}</span>
              <span className="pg-muted">{test.latencyMs} ms</span>
            </span>
          )}
        </div>
      </div>
      <ConfirmDialog
        open={confirmRemove}
        title="Remove the language model?"
        message="Bots answer with the offline responder (the best knowledge-base passage) until a model is set again."
        confirmLabel="Remove"
        danger
        busy={busy === 'remove'}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmRemove(false)}
      />
    </form>
  );
}
