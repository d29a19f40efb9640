/**
 * What the provider sections (language model, embeddings, reranker) share: the endpoint fields
 * with a write-only key (the stored key is never shown, an empty field keeps it), save / test /
 * remove with errors next to the fields the API names, and the connection test's result line.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { z } from 'zod';
import type { llmTestResult, providerViewSchema } from '../../../../core/api/admin';
import { api } from '../../api/client';
import { Badge, Button, ConfirmDialog, Field, FormError, Input, Spinner, useToast } from '../../ui';
import { errorMessage, useFormErrors } from '../shared/errors';
import { useAsyncAction } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

export type ProviderView = z.infer<typeof providerViewSchema>;
export type TestResult = z.infer<typeof llmTestResult>;

export interface Endpoint {
  baseURL: string;
  model: string;
  apiKey: string;
}

/** The key part of a request: a typed key, else keep the stored one, else "" (servers without a key). */
export const keyBody = (apiKey: string, apiKeySet: boolean) => (apiKey ? { apiKey } : apiKeySet ? {} : { apiKey: '' });

/**
 * A provider resource at `path` (`/v1/settings/llm`…): the stored view, the endpoint form started
 * from it (and again after each save), and save, test and remove, one at a time.
 */
export function useProviderForm<V extends ProviderView>(path: string, fields: readonly string[]) {
  const toast = useToast();
  const settings = useQuery(() => api.get<V>(path), [path]);
  const view = settings.data;
  const [endpoint, setEndpointState] = useState<Endpoint>({ baseURL: '', model: '', apiKey: '' });
  const [test, setTest] = useState<TestResult | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const formErrors = useFormErrors(['baseURL', 'model', 'apiKey', ...fields]);
  const action = useAsyncAction(formErrors.capture);
  const busy = action.pending as 'save' | 'test' | 'remove' | null;

  useEffect(() => {
    if (view) setEndpointState({ baseURL: view.baseURL ?? '', model: view.model ?? '', apiKey: '' });
  }, [view]);

  const setEndpoint = (patch: Partial<Endpoint>) => setEndpointState((e) => ({ ...e, ...patch }));
  const endpointBody = () => ({ baseURL: endpoint.baseURL.trim(), model: endpoint.model.trim(), ...keyBody(endpoint.apiKey, !!view?.apiKeySet) });

  /** PUTs the endpoint with `extra`; `saved` says what happened (the toast). */
  const save = (e: FormEvent, extra: () => object, saved: (v: V) => string) => {
    e.preventDefault();
    formErrors.clear();
    return action.run('save', async () => {
      const next = await api.put<V>(path, { ...endpointBody(), ...extra() });
      settings.setData(next);
      toast.success(saved(next));
    });
  };

  /** Tests the form as typed (fields left empty: the stored ones). */
  const runTest = (extra: object = {}) => {
    setTest(null);
    formErrors.clear();
    const { baseURL, model, apiKey } = endpoint;
    const body = { ...(baseURL.trim() ? { baseURL: baseURL.trim() } : {}), ...(model.trim() ? { model: model.trim() } : {}), ...(apiKey ? { apiKey } : {}), ...extra };
    return action.run('test', async () => setTest(await api.post<TestResult>(`${path}/test`, body)));
  };

  const remove = (removed: (answer: unknown) => string) =>
    action.run(
      'remove',
      async () => {
        const answer = await api.del(path);
        toast.success(removed(answer));
        setConfirmRemove(false);
        setTest(null);
        await settings.reload();
      },
      (err) => toast.error(errorMessage(err)),
    );

  return { settings, view, endpoint, setEndpoint, ...formErrors, busy, test, save, runTest, remove, confirmRemove, setConfirmRemove };
}

export type ProviderForm<V extends ProviderView> = ReturnType<typeof useProviderForm<V>>;

/** Shown until the stored settings first arrive. */
export function ProviderLoading({ what }: { what: string }) {
  return (
    <div className="pg-center">
      <Spinner label={`Loading the ${what} settings`} />
    </div>
  );
}

/** Base URL, model (unless `modelPlaceholder` is null: an API without models) and key. */
export function EndpointFields<V extends ProviderView>({ form, urlHelp, modelPlaceholder }: { form: ProviderForm<V>; urlHelp: string; modelPlaceholder: string | null }) {
  const { endpoint, setEndpoint, fieldError, view } = form;
  return (
    <>
      <Field label="Base URL" help={urlHelp} error={fieldError('baseURL')}>
        <Input type="url" value={endpoint.baseURL} onChange={(e) => setEndpoint({ baseURL: e.target.value })} autoComplete="off" />
      </Field>
      {modelPlaceholder !== null && (
        <Field label="Model" error={fieldError('model')}>
          <Input value={endpoint.model} onChange={(e) => setEndpoint({ model: e.target.value })} placeholder={modelPlaceholder} autoComplete="off" />
        </Field>
      )}
      <Field
        label="API key"
        help={view?.apiKeySet ? 'A key is stored and never shown. Leave empty to keep it; type a new one to replace it.' : 'Leave empty for servers without a key.'}
        error={fieldError('apiKey')}
      >
        <Input
          type="password"
          value={endpoint.apiKey}
          onChange={(e) => setEndpoint({ apiKey: e.target.value })}
          autoComplete="new-password"
          placeholder={view?.apiKeySet ? '•••••••• (stored)' : ''}
        />
      </Field>
    </>
  );
}

/** "configured, key set" or what answers without the provider. */
export function ProviderStatus({ view, unset }: { view: ProviderView | undefined; unset: string }) {
  if (!view?.configured) return <Badge tone="neutral">{unset}</Badge>;
  return (
    <>
      <Badge tone="success">configured</Badge> {view.apiKeySet && <Badge tone="neutral">key set</Badge>}
    </>
  );
}

export interface ProviderActionsProps<V extends ProviderView> {
  form: ProviderForm<V>;
  onTest: () => void;
  onRemove: () => void;
  removeLabel: string;
  removeTitle: string;
  removeMessage: ReactNode;
}

/** The form's error, Save, Test connection, Remove (confirmed) and the test's result. */
export function ProviderActions<V extends ProviderView>({ form, onTest, onRemove, removeLabel, removeTitle, removeMessage }: ProviderActionsProps<V>) {
  const { busy, test, view, errors } = form;
  return (
    <>
      <FormError message={errors.form} />
      <div className="pg-row">
        <Button type="submit" variant="primary" disabled={busy !== null}>
          Save
        </Button>
        <Button onClick={onTest} disabled={busy !== null}>
          Test connection
        </Button>
        {view?.configured && (
          <Button variant="ghost" onClick={() => form.setConfirmRemove(true)} disabled={busy !== null}>
            {removeLabel}
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
        open={form.confirmRemove}
        title={removeTitle}
        message={removeMessage}
        confirmLabel="Remove"
        danger
        busy={busy === 'remove'}
        onConfirm={onRemove}
        onCancel={() => form.setConfirmRemove(false)}
      />
    </>
  );
}
