/**
 * Try retrieval on a knowledge base: the hits an `llmReply` node would get, with their fused
 * score, vector and full-text ranks, and where each passage comes from.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { Badge, Button, Field, FormError, Input, Spinner } from '../../ui';
import { useFormErrors } from '../shared/errors';
import type { KnowledgeBase, SearchHit, SearchResult } from './types';

const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

export function SearchPlayground({ kb }: { kb: KnowledgeBase }) {
  const [query, setQuery] = useState('');
  const [topK, setTopK] = useState(String(kb.retrieval.topK));
  const [vectorWeight, setVectorWeight] = useState(String(kb.retrieval.vectorWeight));
  const [textWeight, setTextWeight] = useState(String(kb.retrieval.textWeight));
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [busy, setBusy] = useState(false);
  const { errors, capture, clear, setField, fieldError } = useFormErrors(['query', 'topK', 'vectorWeight', 'textWeight']);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    clear();
    if (!query.trim()) return setField('query', 'Type what a contact might ask.');
    setBusy(true);
    try {
      const body = { query: query.trim(), topK: num(topK), vectorWeight: num(vectorWeight), textWeight: num(textWeight) };
      setHits((await api.post<SearchResult>(`/v1/knowledge-bases/${kb.id}/search`, body)).hits);
    } catch (err) {
      capture(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pg-col">
      <form onSubmit={search} noValidate aria-label="Search playground">
        <Field label="Query" error={fieldError('query')}>
          <Input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="What are your opening hours?" />
        </Field>
        <div className="pg-filters">
          <Field label="Results" error={fieldError('topK')}>
            <Input type="number" min={1} max={50} value={topK} onChange={(e) => setTopK(e.target.value)} />
          </Field>
          <Field label="Vector weight" error={fieldError('vectorWeight')}>
            <Input type="number" min={0} max={10} step={0.1} value={vectorWeight} onChange={(e) => setVectorWeight(e.target.value)} />
          </Field>
          <Field label="Text weight" error={fieldError('textWeight')}>
            <Input type="number" min={0} max={10} step={0.1} value={textWeight} onChange={(e) => setTextWeight(e.target.value)} />
          </Field>
          <Button type="submit" variant="primary" disabled={busy}>
            Search
          </Button>
          {busy && <Spinner label="Searching" />}
        </div>
        <FormError message={errors.form} />
      </form>
      <div className="pg-col" aria-live="polite" aria-label="Search results">
        {hits?.length === 0 && <p className="pg-muted">No passage matches. Try other words, or check that the documents are ready.</p>}
        {hits?.map((h, i) => (
          <article key={i} className="kn-hit" aria-label={`Result ${i + 1}`} data-search-hit>
            <div className="pg-row">
              <strong>#{i + 1}</strong>
              <Badge tone="info">score {h.score.toFixed(4)}</Badge>
              <Badge tone={h.vectorRank !== null ? 'success' : 'neutral'}>vector {h.vectorRank !== null ? `#${h.vectorRank}` : '—'}</Badge>
              <Badge tone={h.textRank !== null ? 'success' : 'neutral'}>text {h.textRank !== null ? `#${h.textRank}` : '—'}</Badge>
              <span className="pg-muted">
                {h.document.name}
                {h.section ? ` › ${h.section}` : ''}
                {h.page !== null ? ` · page ${h.page}` : ''}
              </span>
            </div>
            <p className="kn-hit-text">{h.text}</p>
          </article>
        ))}
      </div>
    </div>
  );
}
