/**
 * Knowledge for the AI reply: searching the node's knowledge bases, numbering the passages the
 * model sees as sources, and turning the `[n]` markers of its answer into citations.
 *
 * Passages are numbered once per node run, across every search (the automatic one and each tool
 * call), so a marker always means the same passage however many searches the model made.
 */
import { isCancellation } from '@temporalio/workflow';
import type { Citation, KnowledgePassage, ToolSpec } from '../../../activities/types';
import { CHANNELS, type Channel } from '../../../core/messages';
import { errorMessage } from '../errors';
import type { FlowRuntime, NodeOf } from '../types';

export const KNOWLEDGE_TOOL = 'search_knowledge_base';

export const knowledgeTool: ToolSpec = {
  name: KNOWLEDGE_TOOL,
  description: 'Search the knowledge base (documents, FAQs, policies) for passages that answer a question.',
  parameters: {
    type: 'object',
    properties: { query: { type: 'string', description: 'What to look for, as a short question or keywords' } },
    required: ['query'],
  },
};

const CITE_INSTRUCTION =
  'Answer from these sources only. Cite the sources you use with their number in square brackets, e.g. [1]. ' +
  'If they do not contain the answer, say that you do not know rather than guessing.';

/**
 * No channel's wire format has a citation field (WhatsApp, Messenger, SMS and email messages are
 * text; the API and web chat show the text too), so the citations travel as a "Sources:" line.
 * Voice is the exception: file names and page numbers read aloud only interrupt the call, and the
 * stored message keeps the citations.
 */
const SOURCES_LINE_CHANNELS: ReadonlySet<Channel> = new Set(CHANNELS.filter((c) => c !== 'voice'));

const whereIn = (c: Citation) => [c.section, c.page != null ? `p. ${c.page}` : null].filter(Boolean).join(', ');

/** "Menu (Desserts, p. 2)": how the contact sees a source. */
export function citationLabel(c: Citation): string {
  const where = whereIn(c);
  return where ? `${c.document} (${where})` : c.document;
}

/** The passages one node run has seen, numbered from 1 in the order they arrived. */
export class Sources {
  readonly passages: KnowledgePassage[] = [];

  /** Adds passages (a passage seen twice keeps its first number) and lists them as the model reads them. */
  add(found: KnowledgePassage[]): string {
    const lines = found.map((p) => {
      let n = this.passages.findIndex((q) => q.text === p.text && q.citation.documentId === p.citation.documentId) + 1;
      if (n === 0) n = this.passages.push(p);
      return `[${n}] ${p.text.trim()} (${[p.citation.document, whereIn(p.citation)].filter(Boolean).join(', ')})`;
    });
    return lines.join('\n\n');
  }

  /** Citations for the answer: the sources it cites by [n], else the top passage when any was used. */
  citationsFor(answer: string): Citation[] {
    const cited = [...answer.matchAll(/\[(\d{1,3})\]/g)].map((m) => this.passages[Number(m[1]) - 1]).filter(Boolean);
    const used = cited.length ? cited : this.passages.slice(0, 1);
    const unique = new Map<string, Citation>();
    for (const { citation } of used) unique.set(citationLabel(citation) + citation.documentId, citation);
    return [...unique.values()];
  }
}

/** The system prompt block of the automatic search. */
export function sourcesPrompt(listing: string): string {
  if (!listing) return 'No passage of the knowledge base matches the question. If the answer depends on it, say that you do not know.';
  return `Sources from the knowledge base:\n\n${listing}\n\n${CITE_INSTRUCTION}`;
}

export const toolModePrompt = `Use the ${KNOWLEDGE_TOOL} tool to look up facts before answering. Each result is numbered; ${CITE_INSTRUCTION}`;

/**
 * One search of the node's knowledge bases. A failed search (after the activity's retries) means
 * "nothing found": the model is told and can still answer or apologise, the turn does not fail.
 */
export async function searchKnowledge(node: NodeOf<'llmReply'>, rt: FlowRuntime, query: string): Promise<{ passages: KnowledgePassage[]; error?: string }> {
  if (!query.trim()) return { passages: [] };
  try {
    return await rt.activities.call(node.id, 'searchKnowledge', {
      tenantId: rt.tenantId,
      knowledgeBaseIds: node.data.knowledgeBaseIds,
      query,
      topK: node.data.topK,
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { passages: [], error: errorMessage(err) };
  }
}

/** What the tool call returns to the model. */
export async function runKnowledgeTool(node: NodeOf<'llmReply'>, rt: FlowRuntime, sources: Sources, query: unknown): Promise<string> {
  if (typeof query !== 'string' || !query.trim()) return 'Error: the "query" argument must be a non-empty string.';
  const { passages, error } = await searchKnowledge(node, rt, query);
  if (error) return `Error: the knowledge base search failed (${error}).`;
  return passages.length ? sources.add(passages) : 'No passages found for this query.';
}

/** The contact's latest message: what the automatic search looks for. */
export function latestContactMessage(rt: FlowRuntime): string {
  const { messages } = rt.context(Number.MAX_SAFE_INTEGER);
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role === 'user') return m.content;
  }
  return '';
}

/** The answer as the channel shows it: plain-text channels get a short "Sources:" line. */
export function withSourcesLine(text: string, citations: Citation[], channel: Channel | undefined): string {
  if (!citations.length || (channel && !SOURCES_LINE_CHANNELS.has(channel))) return text;
  return `${text}\n\nSources: ${citations.map(citationLabel).join('; ')}`;
}
