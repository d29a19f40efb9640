/** The tenant's LLM endpoints in fallback order, API keys decrypted only here, in memory. */
import { configPolicy, type AddressPolicy } from '../../net/address-policy';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../../core/config';
import type { LlmPricing, Tenant } from '../../db/entities';
import { secretBoxFromConfig } from '../../db/secrets';

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
