/**
 * Runs a completion down the tenant's provider chain. Every attempt is recorded as an LlmCall row.
 * 5xx and connection errors move on to the next provider; a rejected request (bad key, unknown
 * model, invalid input) fails permanently, since a retry cannot fix configuration; 429 and an
 * exhausted chain throw retryable failures so Temporal backs off and tries again.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { refusalIn } from '../net/guarded-fetch';
import { openaiSdk } from './openai-client';
import { costUsd, recordCall, type CallScope, type ResolvedProvider } from './providers';
import { streamCompletion, type Completion, type CompletionRequest, type StreamHooks } from './stream';

export interface RunHooks extends StreamHooks {
  /** A provider failed after streaming part of its answer; the next one starts over. */
  onReset?: () => void | Promise<void>;
}

const PERMANENT = new Set([400, 401, 403, 404, 422]);

export async function runWithFallback(
  orm: MikroORM,
  scope: CallScope,
  providers: ResolvedProvider[],
  req: CompletionRequest,
  hooks: RunHooks = {},
): Promise<{ completion: Completion; provider: ResolvedProvider; costUsd: number }> {
  let lastError = 'no provider configured';
  /** Whether any provider failed in a way a retry may fix (not refused by the address policy). */
  let transient = providers.length === 0;
  for (const provider of providers) {
    const started = Date.now();
    let streamed = false;
    try {
      const completion = await streamCompletion(provider, req, {
        ...hooks,
        onDelta: (d) => {
          streamed = true;
          return hooks.onDelta?.(d);
        },
      });
      const cost = costUsd(provider.pricing, completion.promptTokens, completion.completionTokens);
      await recordCall(orm, scope, provider, started, { ok: true, ...completion, costUsd: cost });
      return { completion, provider, costUsd: cost };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await recordCall(orm, scope, provider, started, { ok: false, error: message.slice(0, 2000), model: provider.model });
      const { APIError, APIUserAbortError } = openaiSdk();
      if (err instanceof APIUserAbortError || hooks.signal?.aborted) throw err;
      const status = err instanceof APIError ? err.status : undefined;
      if (status !== undefined && PERMANENT.has(status)) {
        throw ApplicationFailure.nonRetryable(`LLM provider ${provider.baseURL} rejected the request (HTTP ${status}): ${message}`, 'LlmConfigError');
      }
      if (status === 429) throw ApplicationFailure.retryable(`LLM provider ${provider.baseURL} is rate limiting`, 'LlmRateLimited');
      const refused = refusalIn(err);
      lastError = `${provider.baseURL}: ${refused?.message ?? message}`;
      transient ||= !refused;
      if (streamed) await hooks.onReset?.();
    }
  }
  // Every provider refused by the address policy: configuration, which no retry changes.
  if (!transient) throw ApplicationFailure.nonRetryable(`all LLM providers were refused; last: ${lastError}`, 'LlmConfigError');
  throw ApplicationFailure.retryable(`all LLM providers failed; last: ${lastError}`, 'LlmUnavailable');
}
