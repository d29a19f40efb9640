/**
 * The embedding endpoint knowledge bases use (admins). Changing the model reindexes every document:
 * until a document is done, searches find it by its words only.
 */
import type { z } from 'zod';
import type { embeddingSettingsSaved, embeddingSettingsView } from '../../../../core/api/admin';
import { errorMessage } from '../shared/errors';
import { EndpointFields, ProviderActions, ProviderLoading, ProviderStatus, useProviderForm } from './provider';

/** The stored view; the answer to a change also says how many documents are being indexed again. */
type EmbeddingsView = z.infer<typeof embeddingSettingsView> & Partial<z.infer<typeof embeddingSettingsSaved>>;

const reindexNote = (v: EmbeddingsView) => (v.reindexing ? `; reindexing ${v.reindexing} document${v.reindexing === 1 ? '' : 's'}` : '');

export function EmbeddingsSection() {
  const form = useProviderForm<EmbeddingsView>('/v1/settings/embeddings', []);
  const { view } = form;
  if (!view && form.settings.loading) return <ProviderLoading what="embeddings" />;

  return (
    <form onSubmit={(e) => void form.save(e, () => ({}), (v) => `Embeddings saved${reindexNote(v)}`)} noValidate aria-label="Embeddings" className="pg-form-narrow">
      <p className="pg-muted">
        Any OpenAI-compatible <code>/embeddings</code> endpoint; the model must return 384-dimension vectors.{' '}
        <ProviderStatus view={view} unset="offline embedder (no download, lexical only)" />
      </p>
      {view && <p className="pg-muted">Embedder in use: <code>{view.embedderId}</code>. Changing the model reindexes every document.</p>}
      {form.settings.error != null && <p className="pg-error-text" role="alert">{errorMessage(form.settings.error)}</p>}
      <EndpointFields form={form} urlHelp="e.g. https://api.openai.com/v1" modelPlaceholder="text-embedding-3-small" />
      <ProviderActions
        form={form}
        onTest={() => void form.runTest()}
        onRemove={() => void form.remove((answer) => `Embeddings removed: the offline embedder is used again${reindexNote(answer as EmbeddingsView)}`)}
        removeLabel="Remove endpoint"
        removeTitle="Remove the embedding endpoint?"
        removeMessage="Knowledge bases go back to the offline embedder, and every document is reindexed with it."
      />
    </form>
  );
}
