/**
 * The tenant's language-model settings as the console sees them: keys are encrypted at rest
 * (db/secrets.ts) and never leave the server; an omitted key keeps the stored one.
 */
import OpenAI from 'openai';
import type { z } from 'zod';
import type { llmSettingsBody, llmTestBody } from '../../core/api/admin';
import type { Config } from '../../core/config';
import { AppError } from '../../core/errors';
import type { LlmProviderSettings, TenantSettings } from '../../db/entities';
import { secretBoxFromConfig } from '../../db/secrets';

type LlmSettings = NonNullable<TenantSettings['llm']>;
type Body = z.infer<typeof llmSettingsBody>;

const TEST_TIMEOUT_MS = 15_000;

export function llmSettingsView(llm: LlmSettings | undefined) {
  if (!llm) return { configured: false, apiKeySet: false, fallbacks: [] };
  return {
    configured: true,
    baseURL: llm.baseURL,
    model: llm.model,
    apiKeySet: !!llm.apiKeyEncrypted,
    ...(llm.pricing ? { pricing: llm.pricing } : {}),
    fallbacks: (llm.fallbacks ?? []).map((f) => ({ baseURL: f.baseURL, model: f.model, apiKeySet: !!f.apiKeyEncrypted })),
  };
}

/** New settings from the form; keys not sent are kept from the stored endpoint with the same role. */
export function mergeLlmSettings(config: Config, current: LlmSettings | undefined, body: Body): LlmSettings {
  const box = secretBoxFromConfig(config);
  const keep = (sent: string | undefined, stored: LlmProviderSettings | undefined, field: string) => {
    if (sent !== undefined) return sent ? box.encrypt(sent) : '';
    if (stored) return stored.apiKeyEncrypted;
    return reject(field);
  };
  const reject = (field: string): never => {
    throw new AppError('bad_request', 'apiKey is required for a new endpoint (send "" for servers without a key)', { field });
  };
  return {
    baseURL: body.baseURL,
    model: body.model,
    apiKeyEncrypted: keep(body.apiKey, current, 'apiKey'),
    ...(body.pricing ? { pricing: body.pricing } : {}),
    fallbacks: body.fallbacks.map((f, i) => {
      const stored = current?.fallbacks?.find((s) => s.baseURL === f.baseURL);
      return { baseURL: f.baseURL, model: f.model, apiKeyEncrypted: keep(f.apiKey, stored, `fallbacks.${i}.apiKey`), ...(f.pricing ? { pricing: f.pricing } : {}) };
    }),
  };
}

/** One tiny completion against the endpoint; reports what went wrong in words, never the key. */
export async function testLlmEndpoint(config: Config, stored: LlmSettings | undefined, form: z.infer<typeof llmTestBody>) {
  const baseURL = form.baseURL ?? stored?.baseURL;
  const model = form.model ?? stored?.model;
  if (!baseURL || !model) throw new AppError('bad_request', 'no language model is configured: send baseURL and model', { field: 'baseURL' });
  let apiKey = form.apiKey;
  if (apiKey === undefined && stored?.apiKeyEncrypted) apiKey = secretBoxFromConfig(config).decrypt(stored.apiKeyEncrypted);
  const client = new OpenAI({ baseURL, apiKey: apiKey || 'none', timeout: TEST_TIMEOUT_MS, maxRetries: 0 });
  const started = performance.now();
  try {
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 5 });
    const latencyMs = Math.round(performance.now() - started);
    return { ok: true, detail: `${completion.model ?? model} answered: ${JSON.stringify(completion.choices[0]?.message?.content ?? '')}`, latencyMs };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    const status = (err as { status?: number }).status;
    const message = (err as Error).message ?? String(err);
    return { ok: false, detail: status ? `the provider answered ${status}: ${message}` : `could not reach ${baseURL}: ${message}`, latencyMs };
  }
}
