/**
 * The retrieval benchmark's corpus ingestion through the real pipeline: each BEIR document is
 * uploaded to the API as a Markdown file (its title as the heading, so chunks keep it as their
 * section), which starts the `ingestDocument` workflow on Temporal; the worker's activities
 * extract, chunk, embed (through the embedding cache) and upsert it, then activate the version.
 * The figure is end to end: from the first upload until the last workflow has finished.
 */
import { fitName } from '../core/knowledge/names';
import type { Stack } from '../test/support/stack';
import type { IngestDocumentResult } from '../workflows/ingestDocument';
import type { BeirDoc } from './retrieval-eval';
import { mapConcurrent } from './stats';

export interface PipelineIngestion {
  /** Our document id → the corpus id, for scoring. */
  corpusIdOf: Map<string, string>;
  documents: number;
  /** Documents the pipeline refused (empty text, say), with the reason of the first one. */
  failed: number;
  firstFailure: string | null;
  chunks: number;
  seconds: number;
  chunksPerSecond: number;
}

/** The document as a contact-facing Markdown file; `<` is escaped so the text is never read as HTML. */
const asMarkdown = (doc: BeirDoc) => {
  const text = doc.text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return doc.title ? `# ${doc.title.replace(/</g, '&lt;')}\n\n${text}` : text;
};

export async function ingestThroughPipeline(stack: Stack, apiKey: string, knowledgeBaseId: string, corpus: BeirDoc[], concurrency: number): Promise<PipelineIngestion> {
  const corpusIdOf = new Map<string, string>();
  let chunks = 0;
  let failed = 0;
  let firstFailure: string | null = null;
  const started = performance.now();
  await mapConcurrent(corpus, concurrency, async (doc) => {
    const form = new FormData();
    form.append('name', fitName(doc.title || doc.id));
    form.append('file', new Blob([asMarkdown(doc)], { type: 'text/markdown' }), `${doc.id}.md`);
    const res = await fetch(`${stack.url}/v1/knowledge-bases/${knowledgeBaseId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
    const body = (await res.json()) as { id: string; workflowId: string; error?: { message: string } };
    if (res.status !== 202) throw new Error(`upload of ${doc.id} answered HTTP ${res.status}: ${body.error?.message}`);
    const result = (await stack.temporal.workflow.getHandle(body.workflowId).result()) as IngestDocumentResult;
    if (result.status !== 'ready') {
      failed++;
      firstFailure ??= `${doc.id}: ${result.error}`;
      return;
    }
    chunks += result.chunkCount;
    corpusIdOf.set(body.id, doc.id);
  });
  const seconds = (performance.now() - started) / 1000;
  return { corpusIdOf, documents: corpus.length, failed, firstFailure, chunks, seconds: Math.round(seconds * 100) / 100, chunksPerSecond: Math.round(chunks / seconds) };
}
