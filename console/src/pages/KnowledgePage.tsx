/**
 * Knowledge: the workspace's knowledge bases on the left; the chosen one's documents (add, follow
 * indexing, reindex, delete) and a search playground on the right (`#/knowledge/:id`).
 */
import { useState } from 'react';
import { api } from '../api/client';
import { can, useAuth } from '../app/auth';
import { matchPath, navigate, useLocation } from '../app/router';
import { Button, EmptyState, Panel, Spinner, Tabs, useToast } from '../ui';
import { errorMessage } from './shared/errors';
import { useConfirmAction } from './shared/useConfirmAction';
import { useQuery } from './shared/useQuery';
import { CreateKnowledgeBase } from './knowledge/CreateKnowledgeBase';
import { DocumentsPanel } from './knowledge/DocumentsPanel';
import { SearchPlayground } from './knowledge/SearchPlayground';
import type { KnowledgeBase, KnowledgeBaseList } from './knowledge/types';
import './pages.css';

export function KnowledgePage() {
  const { user } = useAuth();
  const toast = useToast();
  const { path } = useLocation();
  const selectedId = matchPath('/knowledge/:knowledgeBaseId', path)?.knowledgeBaseId;
  const canEdit = can.build(user?.role);
  const kbs = useQuery(async () => (await api.get<KnowledgeBaseList>('/v1/knowledge-bases')).knowledgeBases, []);
  const [creating, setCreating] = useState(false);
  const [tab, setTab] = useState('documents');
  const kb = kbs.data?.find((k) => k.id === selectedId);

  const removeKb = useConfirmAction<KnowledgeBase>({
    title: 'Delete this knowledge base?',
    message: (k) => `“${k.name}”, its ${k.documentCount} documents and all their chunks are removed. Flows that search it find nothing until it is replaced.`,
    confirmLabel: 'Delete',
    run: async (k) => {
      await api.del(`/v1/knowledge-bases/${k.id}`);
      toast.success(`Deleted ${k.name}`);
      navigate('/knowledge');
      void kbs.reload();
    },
  });

  return (
    <div className="page pg-fill">
      <div className="page-head">
        <h1>Knowledge</h1>
        <div className="page-head-actions">
          {canEdit && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New knowledge base
            </Button>
          )}
        </div>
      </div>
      <div className="pg-split pg-split-wide pg-fill">
        <Panel title="Knowledge bases">
          {kbs.error != null && <p className="pg-error-text" role="alert">{errorMessage(kbs.error)}</p>}
          {kbs.loading && !kbs.data && (
            <div className="pg-center">
              <Spinner label="Loading knowledge bases" />
            </div>
          )}
          {kbs.data?.length === 0 && <p className="pg-muted">No knowledge base yet.</p>}
          <ul className="pg-list" aria-label="Knowledge bases">
            {kbs.data?.map((k) => (
              <li key={k.id}>
                <button type="button" className="pg-list-item" aria-current={k.id === selectedId ? 'true' : undefined} onClick={() => navigate(`/knowledge/${k.id}`)}>
                  <div className="pg-list-title">{k.name}</div>
                  <div className="pg-list-sub">
                    {k.documentCount} document{k.documentCount === 1 ? '' : 's'}
                    {k.description ? ` · ${k.description}` : ''}
                  </div>
                </button>
              </li>
            ))}
          </ul>
        </Panel>
        {kb ? (
          <Panel
            title={
              <div className="pg-col">
                <h2>{kb.name}</h2>
                <span className="pg-muted">
                  {kb.description ? `${kb.description} · ` : ''}{kb.language} · chunks of {kb.chunkSize} tokens ({kb.chunkOverlap} overlap) · top {kb.retrieval.topK}
                </span>
              </div>
            }
            label={kb.name}
            actions={
              canEdit && (
                <Button variant="ghost" onClick={() => removeKb.ask(kb)}>
                  Delete knowledge base
                </Button>
              )
            }
          >
            <Tabs
              label="Knowledge base"
              active={tab}
              onChange={setTab}
              tabs={[
                { id: 'documents', label: 'Documents', content: <DocumentsPanel key={kb.id} knowledgeBaseId={kb.id} canEdit={canEdit} onCountChange={() => void kbs.reload()} /> },
                { id: 'search', label: 'Search playground', content: <SearchPlayground key={kb.id} kb={kb} /> },
              ]}
            />
          </Panel>
        ) : (
          <Panel>
            {selectedId && kbs.data ? (
              <EmptyState title="Knowledge base not found">It may have been deleted.</EmptyState>
            ) : (
              <EmptyState title="No knowledge base open">Pick one on the left{canEdit ? ', or create one' : ''}.</EmptyState>
            )}
          </Panel>
        )}
      </div>
      <CreateKnowledgeBase
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          void kbs.reload().then(() => navigate(`/knowledge/${id}`));
        }}
      />
      {removeKb.dialog}
    </div>
  );
}
