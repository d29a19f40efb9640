/**
 * A knowledge base's documents. Documents still indexing are re-read one by one
 * (GET /v1/documents/:id) every second, so stage, percent and chunk count move while you watch.
 */
import { useCallback } from 'react';
import { api, ApiError } from '../../api/client';
import { usePolling, useQuery } from '../shared/useQuery';
import { inFlight, type DocumentAccepted, type DocumentList, type KnowledgeDocument } from './types';

const POLL_MS = 1000;
const MAX_ONE_BY_ONE = 20;

export function useDocuments(knowledgeBaseId: string) {
  const docs = useQuery(async () => (await api.get<DocumentList>(`/v1/knowledge-bases/${knowledgeBaseId}/documents`)).documents, [knowledgeBaseId]);
  const { data, setData } = docs;
  const pending = (data ?? []).filter(inFlight).map((d) => d.id);

  const refreshOne = useCallback(
    async (id: string) => {
      try {
        const fresh = await api.get<KnowledgeDocument>(`/v1/documents/${id}`);
        setData((list = []) => (list.some((d) => d.id === id) ? list.map((d) => (d.id === id ? fresh : d)) : [fresh, ...list]));
      } catch (err) {
        // Deleted meanwhile (here or elsewhere): drop it from the list.
        if (err instanceof ApiError && err.status === 404) setData((list = []) => list.filter((d) => d.id !== id));
        else throw err;
      }
    },
    [setData],
  );

  // A bulk import leaves hundreds pending at once: then one list read beats one request per document.
  const poll = usePolling(() => (pending.length > MAX_ONE_BY_ONE ? docs.reload() : Promise.all(pending.map(refreshOne))), POLL_MS, pending.length > 0);

  /** A document just added or reindexed: fetch it now rather than on the next tick. */
  const track = useCallback((accepted: DocumentAccepted) => refreshOne(accepted.id), [refreshOne]);

  /** Why the progress of the documents still indexing could not be re-read, until it can. */
  return { ...docs, pollError: poll.error, track, refreshOne };
}
