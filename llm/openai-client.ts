/**
 * The `openai` client every model call uses (chat, embeddings, the LLM reranker, connection
 * tests), with the guarded fetch underneath: a provider's baseURL is held to the address policy
 * on every connection, so a baseURL naming an internal host (or a DNS name that turns into one
 * later) is refused unless the operator allow-lists it. Temporal owns retries, so the SDK makes none.
 */
import { createRequire } from 'node:module';
import type OpenAI from 'openai';
import type { AddressPolicy } from '../net/address-policy';
import { guardedFetcher } from '../net/guarded-fetch';

export interface ModelEndpoint {
  baseURL: string;
  apiKey: string;
  policy: AddressPolicy;
}

let sdk: typeof import('openai') | undefined;
/**
 * The SDK, loaded at the first model call rather than at every worker and API start (~0.3 s of it).
 * Every caller takes it from here, one copy, so `instanceof` on its errors holds.
 */
export const openaiSdk = (): typeof import('openai') => (sdk ??= createRequire(import.meta.url)('openai'));

export function openaiClient(endpoint: ModelEndpoint, opts: { timeoutMs?: number } = {}): OpenAI {
  const { OpenAI } = openaiSdk();
  return new OpenAI({
    baseURL: endpoint.baseURL,
    apiKey: endpoint.apiKey || 'none',
    maxRetries: 0,
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
    // The SDK's own timeout (or the activity's) bounds the call: a streamed answer may take minutes.
    fetch: guardedFetcher({ policy: endpoint.policy, timeoutMs: 0 }),
  });
}
