/**
 * The tenant's LLM endpoints in fallback order (API keys decrypted only here, in memory), and the
 * record of every call: the llm module's one file that touches the database.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../core/config';
import type { MikroORM } from '@mikro-orm/postgresql';
import { LlmCall, type LlmPricing, type Tenant } from '../db/entities';
import { tenantEm } from '../db/orm';
import { secretBoxFromConfig } from '../db/secrets';
import { configPolicy, type AddressPolicy } from '../net/address-policy';
import { llmDuration, llmTokens } from '../metrics';

export interface ResolvedProvider {
  baseURL: string;
  model: string;
  apiKey: string;
  pricing?: LlmPricing;
  /** The deployment's address policy, applied to every connection to baseURL. */
  policy: AddressPolicy;
}

/** Empty when the tenant has no provider: the offline responder answers. */
export function tenantProviders(tenant: Tenant, config: Config, modelOverride?: string): ResolvedProvider[] {
  const llm = tenant.settings.llm;
  if (!llm) return [];
  const chain = [{ ...llm, model: modelOverride ?? llm.model }, ...(llm.fallbacks ?? [])];
  try {
    const box = secretBoxFromConfig(config);
    const policy = configPolicy(config);
    return chain.map((p) => ({ baseURL: p.baseURL, model: p.model, apiKey: box.decrypt(p.apiKeyEncrypted), pricing: p.pricing, policy }));
  } catch (err) {
    // A missing or rotated-away secret key is configuration: retrying cannot fix it.
    throw ApplicationFailure.nonRetryable(`LLM provider key unavailable: ${(err as Error).message}`, 'LlmConfigError');
  }
}

export function costUsd(pricing: LlmPricing | undefined, promptTokens: number, completionTokens: number): number {
  if (!pricing) return 0;
  return (promptTokens * pricing.inputPer1M + completionTokens * pricing.outputPer1M) / 1_000_000;
}

export interface CallScope {
  tenantId: string;
  workflowId: string;
  conversationId?: string;
  nodeId: string;
}

/** One provider attempt as an LlmCall row (tokens, cost, latency, error). */
export async function recordCall(
  orm: MikroORM,
  scope: CallScope,
  provider: ResolvedProvider,
  started: number,
  result: { ok: boolean; model: string; promptTokens?: number; completionTokens?: number; costUsd?: number; error?: string },
): Promise<void> {
  const host = new URL(provider.baseURL).host;
  llmDuration.observe({ provider: host, model: result.model, ok: String(result.ok) }, (Date.now() - started) / 1000);
  if (result.promptTokens) llmTokens.inc({ provider: host, model: result.model, kind: 'prompt' }, result.promptTokens);
  if (result.completionTokens) llmTokens.inc({ provider: host, model: result.model, kind: 'completion' }, result.completionTokens);
  const em = tenantEm(orm, scope.tenantId);
  em.create(LlmCall, {
    tenant: scope.tenantId,
    workflowId: scope.workflowId,
    conversation: scope.conversationId ?? null,
    nodeId: scope.nodeId,
    provider: host,
    model: result.model,
    promptTokens: result.promptTokens ?? 0,
    completionTokens: result.completionTokens ?? 0,
    costUsd: result.costUsd ?? 0,
    latencyMs: Date.now() - started,
    ok: result.ok,
    error: result.error ?? null,
  });
  await em.flush();
}
