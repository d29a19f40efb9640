/** Repository lookups that a route cannot go on without: absent → a 404/409 naming the field. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors';
import { FlowVersion, type Conversation } from '../../db/entities';
import { getConversation, getDocument, getFlow, getFlowVersion, getKnowledgeBase, latestPublishedVersion } from '../../db/repos';
import type { PinnedFlow } from '../../core/workflows';
import { pinnedFlow } from '../../temporal/pinned-flows';
import { BoundedMap } from '../../core/bounded-map';

export async function requireFlow(em: EntityManager, id: string, field = 'id') {
  const flow = await getFlow(em, id);
  if (!flow) throw new AppError('not_found', 'flow not found', { field });
  return flow;
}

export async function requireKnowledgeBase(em: EntityManager, id: string, field = 'id') {
  const kb = await getKnowledgeBase(em, id);
  if (!kb) throw new AppError('not_found', 'knowledge base not found', { field });
  return kb;
}

export async function requireDocument(em: EntityManager, id: string, field = 'id') {
  const document = await getDocument(em, id);
  if (!document) throw new AppError('not_found', 'document not found', { field });
  return document;
}

/** What never changes about a conversation: enough to route a turn or a signal. */
export type ConversationRef = Pick<Conversation, 'id' | 'flow' | 'flowVersion' | 'channel' | 'workflowId' | 'isTest'>;

const REF_CACHE_SIZE = 10_000;
const refs = new BoundedMap<string, ConversationRef>(REF_CACHE_SIZE);

/**
 * `requireConversation` for the hot path: a conversation's flow version, channel and workflow id
 * are fixed at creation, so after the first (tenant-scoped) lookup a turn costs no query.
 */
export async function requireConversationRef(em: EntityManager, tenantId: string, id: string, field = 'id'): Promise<ConversationRef> {
  const key = `${tenantId}:${id}`;
  const hit = refs.get(key);
  if (hit) return hit;
  const { flow, flowVersion, channel, workflowId, isTest } = await requireConversation(em, id, field);
  return rememberConversationRef(tenantId, { id, flow, flowVersion, channel, workflowId, isTest });
}

/** Caches a conversation just created, so its first turn costs no query either. */
export function rememberConversationRef(tenantId: string, ref: ConversationRef): ConversationRef {
  refs.set(`${tenantId}:${ref.id}`, ref);
  return ref;
}

export async function requireConversation(em: EntityManager, id: string, field = 'id') {
  const conversation = await getConversation(em, id);
  if (!conversation) throw new AppError('not_found', 'conversation not found', { field });
  return conversation;
}

/** The given version, or the latest one; a flow never published cannot run. */
export async function requireVersion(em: EntityManager, flowId: string, version?: number) {
  await requireFlow(em, flowId, 'flowId');
  const found = await getFlowVersion(em, flowId, version);
  if (found) return found;
  throw version === undefined
    ? new AppError('not_published', 'the flow has no published version yet: publish it first', { field: 'flowId' })
    : new AppError('not_found', `flow version ${version} not found`, { field: 'version' });
}

/**
 * The latest published version of a flow, to start a conversation on: one query reads its number
 * (and that the flow exists), and its graph comes from the pinned-flow cache, as a turn's does.
 */
export async function requireLatestPinnedFlow(em: EntityManager, tenantId: string, flowId: string): Promise<PinnedFlow> {
  const latest = await latestPublishedVersion(em, tenantId, flowId);
  // None: requireVersion says whether the flow is missing or unpublished.
  if (latest === null) return requireVersion(em, flowId).then(({ version, graph }) => ({ flowId, version, graph }));
  return pinnedFlow(tenantId, flowId, latest, () => requireVersion(em, flowId, latest));
}

/** Latest published version number per flow (version rows are tiny: only two columns are read). */
export async function latestVersionNumbers(em: EntityManager, flowIds: string[]): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  if (flowIds.length === 0) return latest;
  const rows = await em.find(FlowVersion, { flow: { $in: flowIds } }, { fields: ['flow', 'version'] });
  for (const r of rows) latest.set(r.flow, Math.max(latest.get(r.flow) ?? 0, r.version));
  return latest;
}
