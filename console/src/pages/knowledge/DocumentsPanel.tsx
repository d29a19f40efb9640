/** A knowledge base's documents: status and indexing progress, reindex and delete (builders/admins). */
import { api } from '../../api/client';
import { Badge, Button, Table, actionsColumn, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useConfirmAction } from '../shared/useConfirmAction';
import { AddDocument } from './AddDocument';
import { BulkImport } from './BulkImport';
import { useDocuments } from './useDocuments';
import { DOCUMENT_TONES, inFlight, type DocumentAccepted, type KnowledgeDocument } from './types';

const SOURCE_LABELS = { upload: 'File', url: 'URL', text: 'Text' } as const;

function Progress({ doc }: { doc: KnowledgeDocument }) {
  if (inFlight(doc)) {
    return (
      <div className="pg-col kn-progress-cell">
        <progress className="pg-progress" max={100} value={doc.percent} aria-label={`Indexing ${doc.name}`} />
        <span className="pg-muted">
          {doc.stage ?? doc.status} · {doc.percent}%
        </span>
      </div>
    );
  }
  if (doc.status === 'failed') return <span className="pg-error-text">{doc.error ?? 'Indexing failed'}</span>;
  return <span className="pg-muted">{doc.chunkCount} chunk{doc.chunkCount === 1 ? '' : 's'}{doc.activeVersion !== null ? ` · v${doc.activeVersion}` : ''}</span>;
}

export function DocumentsPanel({ knowledgeBaseId, canEdit, onCountChange }: { knowledgeBaseId: string; canEdit: boolean; onCountChange: () => void }) {
  const toast = useToast();
  const docs = useDocuments(knowledgeBaseId);

  const added = (accepted: DocumentAccepted) => {
    docs.track(accepted).catch((err) => {
      // The document was added; re-read the list so it shows, and say why its progress did not.
      toast.error(`Added, but its progress could not be read: ${errorMessage(err)}`);
      void docs.reload();
    });
    onCountChange();
  };

  const reindex = async (doc: KnowledgeDocument) => {
    try {
      const accepted = await api.post<DocumentAccepted>(`/v1/documents/${doc.id}/reindex`);
      toast.success(`Reindexing ${doc.name} (version ${accepted.version})`);
      await docs.track(accepted);
    } catch (err) {
      toast.error(errorMessage(err));
    }
  };

  const remove = useConfirmAction<KnowledgeDocument>({
    title: 'Delete this document?',
    message: (d) => `“${d.name}” and all its chunks are removed; searches stop finding it at once.`,
    confirmLabel: 'Delete',
    run: async (d) => {
      await api.del(`/v1/documents/${d.id}`);
      toast.success(`Deleted ${d.name}`);
      docs.setData((list = []) => list.filter((x) => x.id !== d.id));
      onCountChange();
    },
  });

  return (
    <div className="pg-col">
      {canEdit && (
        <section className="pg-section" aria-label="Add a document">
          <h3 className="pg-h3">Add a document</h3>
          <AddDocument knowledgeBaseId={knowledgeBaseId} onAdded={added} />
        </section>
      )}
      {canEdit && (
        <section className="pg-section" aria-label="Import many documents">
          <h3 className="pg-h3">Import many documents</h3>
          <BulkImport
            knowledgeBaseId={knowledgeBaseId}
            onImported={() => {
              void docs.reload();
              onCountChange();
            }}
          />
        </section>
      )}
      {docs.pollError != null && (
        <p className="pg-error-text" role="alert">
          Indexing progress could not be refreshed: {errorMessage(docs.pollError)}
        </p>
      )}
      <QueryStatus query={docs} loadingLabel="Loading documents">
        {(data = []) => (
          <Table
            caption="Documents"
            rows={data}
            rowKey={(d) => d.id}
            empty="No documents yet: upload a file, add a URL or paste text."
            columns={[
              { key: 'name', header: 'Name', render: (d) => <span data-document-name={d.name}>{d.name}</span> },
              { key: 'source', header: 'Source', render: (d) => SOURCE_LABELS[d.sourceType] },
              {
                key: 'status',
                header: 'Status',
                render: (d) => (
                  <Badge tone={DOCUMENT_TONES[d.status]}>
                    <span data-document-status={d.status}>{d.status}</span>
                  </Badge>
                ),
              },
              { key: 'progress', header: 'Progress', render: (d) => <Progress doc={d} /> },
              { key: 'updatedAt', header: 'Updated', render: (d) => formatDateTime(d.updatedAt) },
              actionsColumn(
                (d: KnowledgeDocument) =>
                  canEdit && (
                    <div className="pg-row pg-row-end">
                      <Button size="sm" onClick={() => void reindex(d)} disabled={inFlight(d)} aria-label={`Reindex ${d.name}`}>
                        Reindex
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => remove.ask(d)} aria-label={`Delete ${d.name}`}>
                        Delete
                      </Button>
                    </div>
                  ),
              ),
            ]}
          />
        )}
      </QueryStatus>
      {remove.dialog}
    </div>
  );
}
