/**
 * What a generation needs from the database: the tenant (its name and model providers), the brand
 * voice (the brief's, else the tenant's default) and facts from a knowledge base. The content
 * module's one file that touches the database.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { BrandVoiceProfile } from '../../core/campaigns/brand-voice';
import type { Config } from '../../core/config';
import { AppError } from '../../core/errors';
import { KnowledgeBase, Tenant } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { getBrandVoice, resolveBrandVoice } from '../../db/repos/brand-voices';
import { searchByText } from '../../knowledge/retrieve';
import { tenantProviders, type ResolvedProvider } from '../../llm/providers';
import { Quotas } from '../../quotas/quotas';

export interface ContentDeps {
  orm: MikroORM;
  config: Config;
  /** Holds writing to the tenant's LLM-token quota (every caller passes it; absent: not counted). */
  redis?: Redis;
}

export interface ContentContext {
  tenantName: string;
  /** Empty without a model, or while the month's LLM tokens are used up: the template writer writes. */
  providers: ResolvedProvider[];
  voice: BrandVoiceProfile | null;
  /** Set when the LLM-token quota kept the model out. */
  overQuota: boolean;
  /** Counts a completion's tokens against the quota. */
  countTokens: (completion: { promptTokens: number; completionTokens: number }) => Promise<void>;
}

const FACT_PASSAGES = 5;

const profileOf = (row: BrandVoiceProfile): BrandVoiceProfile => ({
  name: row.name,
  tone: row.tone,
  useWords: row.useWords,
  avoidWords: row.avoidWords,
  examples: row.examples,
  emojiPolicy: row.emojiPolicy,
  language: row.language,
});

/** A brief naming a voice the tenant does not have is refused (404 on the field), not silently unvoiced. */
export async function loadContentContext(deps: ContentDeps, tenantId: string, brandVoiceId?: string): Promise<ContentContext> {
  const em = tenantEm(deps.orm, tenantId);
  const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
  const voice = brandVoiceId ? await getBrandVoice(em, brandVoiceId) : await resolveBrandVoice(em);
  if (brandVoiceId && !voice) throw new AppError('not_found', 'brand voice not found', { field: 'brandVoiceId' });
  const quotas = deps.redis ? new Quotas(deps.redis, deps.orm, deps.config) : null;
  const overQuota = !!(quotas && (await quotas.llmRefusal(tenantId)));
  return {
    tenantName: tenant.name,
    providers: overQuota ? [] : tenantProviders(tenant, deps.config),
    voice: voice ? profileOf(voice) : null,
    overQuota,
    countTokens: async (c) => void (await quotas?.countLlmTokens(tenantId, c.promptTokens + c.completionTokens)),
  };
}

/** A voice by id for the llmReply node; null when it was deleted since the flow was published. */
export async function loadBrandVoice(orm: MikroORM, tenantId: string, id: string): Promise<BrandVoiceProfile | null> {
  const voice = await getBrandVoice(tenantEm(orm, tenantId), id);
  return voice ? profileOf(voice) : null;
}

/** The knowledge base's best passages for the campaign's goal, as facts the content may state. */
export async function knowledgeFacts(deps: ContentDeps, tenantId: string, knowledgeBaseId: string, query: string): Promise<string[]> {
  const em = tenantEm(deps.orm, tenantId);
  const kb = await em.findOne(KnowledgeBase, { id: knowledgeBaseId });
  if (!kb) throw new AppError('not_found', 'knowledge base not found', { field: 'knowledgeBaseId' });
  const hits = await searchByText(deps, em, tenantId, [kb.id], query, { ...kb.retrieval, topK: FACT_PASSAGES });
  return hits.map((hit) => hit.text.replace(/\s+/g, ' ').trim().slice(0, 500));
}
