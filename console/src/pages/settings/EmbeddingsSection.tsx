/**
 * The embedder knowledge bases use (admins): the offline model installed on the server (proposed
 * when it is there), an OpenAI-compatible endpoint, or, with neither, the hashed n-gram embedder,
 * which needs no download. Changing the embedder reindexes every document: until a document is
 * done, searches find it by its words only.
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { embeddingSettingsSaved, embeddingSettingsView } from '../../../../core/api/admin';
import { api } from '../../api/client';
import { Badge, Button, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { EndpointFields, ProviderActions, ProviderLoading, ProviderStatus, useProviderForm, type ProviderForm } from './provider';

/** The stored view; the answer to a change also says how many documents are being indexed again. */
type EmbeddingsView = z.infer<typeof embeddingSettingsView> & Partial<z.infer<typeof embeddingSettingsSaved>>;

const reindexNote = (v: EmbeddingsView) => (v.reindexing ? `; reindexing ${v.reindexing} document${v.reindexing === 1 ? '' : 's'}` : '');

/** The offline model: what it is and where it comes from, in use or one click away (or how to install it). */
function LocalModel({ form }: { form: ProviderForm<EmbeddingsView> }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const view = form.view;
  if (!view) return null;
  const { localModel } = view;
  const inUse = view.kind === 'local';
  const choose = async () => {
    setBusy(true);
    try {
      const next = await api.put<EmbeddingsView>('/v1/settings/embeddings/local', {});
      form.settings.setData(next);
      toast.success(`Knowledge bases use the offline model${reindexNote(next)}`);
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="pg-muted" aria-label="Offline model">
      <p>
        <strong>Offline model</strong> {inUse ? <Badge tone="success">in use</Badge> : localModel.installed ? <Badge tone="neutral">recommended</Badge> : <Badge tone="neutral">not installed</Badge>}
        <br />
        {localModel.model}, {localModel.dimensions} dimensions, {localModel.licence}; from {localModel.source}. Runs on this server, no network.
      </p>
      {!localModel.installed && <p>Install it with <code>scripts/models.sh</code> (npm start does); until then the hashed n-gram embedder (<code>{view.fallbackEmbedderId}</code>, lexical only) is used.</p>}
      {localModel.installed && !inUse && (
        <Button type="button" variant="primary" disabled={busy || form.busy !== null} onClick={() => void choose()}>
          Use the offline model
        </Button>
      )}
    </div>
  );
}

export function EmbeddingsSection() {
  const form = useProviderForm<EmbeddingsView>('/v1/settings/embeddings', []);
  const { view } = form;
  if (!view && form.settings.loading) return <ProviderLoading what="embeddings" />;

  return (
    <form onSubmit={(e) => void form.save(e, () => ({}), (v) => `Embeddings saved${reindexNote(v)}`)} noValidate aria-label="Embeddings" className="pg-form-narrow">
      <p className="pg-muted">
        Any OpenAI-compatible <code>/embeddings</code> endpoint; the model must return 384-dimension vectors.{' '}
        <ProviderStatus view={view?.kind === 'endpoint' ? view : undefined} unset={view?.kind === 'local' ? 'offline model' : 'hashed n-gram embedder (no download, lexical only)'} />
      </p>
      {view && <p className="pg-muted">Embedder in use: <code>{view.embedderId}</code>. Changing the model reindexes every document.</p>}
      <LocalModel form={form} />
      {form.settings.error != null && <p className="pg-error-text" role="alert">{errorMessage(form.settings.error)}</p>}
      <EndpointFields form={form} urlHelp="e.g. https://api.openai.com/v1" modelPlaceholder="text-embedding-3-small" />
      <ProviderActions
        form={form}
        onTest={() => void form.runTest()}
        onRemove={() => void form.remove((answer) => `Embeddings removed: the hashed n-gram embedder is used again${reindexNote(answer as EmbeddingsView)}`)}
        removeLabel={view?.kind === 'local' ? 'Stop using the offline model' : 'Remove endpoint'}
        removeTitle="Remove the embedding endpoint?"
        removeMessage="Knowledge bases go back to the hashed n-gram embedder, and every document is reindexed with it."
      />
    </form>
  );
}
