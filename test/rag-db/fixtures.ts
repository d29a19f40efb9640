/** Knowledge-base fixtures: deterministic embeddings built by hand and chunks made from plain text. */
import { createHash } from 'node:crypto';
import { EMBEDDING_DIMENSIONS } from '../../core/knowledge/types';
import { tenantEm, type Orm } from '../../db/orm';
import { createDocument, createKnowledgeBase, type EmbeddedChunk } from '../../db/repos';

/** A unit vector mixing the given axes with the given weights. */
export function vec(...axes: [axis: number, weight: number][]): number[] {
  const v = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  for (const [axis, weight] of axes) v[axis] += weight;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

export const axis = (i: number) => vec([i, 1]);

/** The embedder id of hand-built vectors: stored chunks and queries must name the same one to meet. */
export const AXES = 'test:axes';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function chunk(ordinal: number, text: string, embedding: number[], section: string | null = null): EmbeddedChunk {
  return { ordinal, text, section, page: null, tokenCount: text.split(/\s+/).length, contentHash: sha256(text), embedding };
}

/** A knowledge base in the tenant with one (pending) document of the given text. */
export async function makeDocument(orm: Orm, tenantId: string, opts: { knowledgeBaseId?: string; name?: string } = {}) {
  const em = tenantEm(orm, tenantId);
  const knowledgeBaseId = opts.knowledgeBaseId ?? (await createKnowledgeBase(em, tenantId, { name: 'Help centre' })).id;
  const { document } = await createDocument(em, tenantId, {
    knowledgeBaseId,
    name: opts.name ?? 'faq.md',
    sourceType: 'text',
    mimeType: 'text/markdown',
    content: Buffer.from('# FAQ'),
  });
  return { knowledgeBaseId, documentId: document.id };
}
