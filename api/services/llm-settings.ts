/** The tenant's language-model settings as the console sees them (see provider-settings.ts for keys). */
import type { z } from 'zod';
import type { llmSettingsBody, llmTestBody } from '../../core/api/admin';
import type { Config } from '../../core/config';
import type { TenantSettings } from '../../db/entities';
import { openaiClient } from '../../llm/openai-client';
import { endpointView, keptKey, TEST_TIMEOUT_MS, testEndpoint, timedTest } from './provider-settings';

type LlmSettings = NonNullable<TenantSettings['llm']>;
type Body = z.infer<typeof llmSettingsBody>;

export function llmSettingsView(llm: LlmSettings | undefined) {
  if (!llm) return { configured: false, apiKeySet: false, fallbacks: [] };
  return {
    configured: true,
    ...endpointView(llm),
    ...(llm.pricing ? { pricing: llm.pricing } : {}),
    fallbacks: (llm.fallbacks ?? []).map(endpointView),
  };
}

/** New settings from the form; keys not sent are kept from the stored endpoint with the same role. */
export function mergeLlmSettings(config: Config, current: LlmSettings | undefined, body: Body): LlmSettings {
  return {
    baseURL: body.baseURL,
    model: body.model,
    apiKeyEncrypted: keptKey(config, body.apiKey, current, 'apiKey', body.baseURL),
    ...(body.pricing ? { pricing: body.pricing } : {}),
    fallbacks: body.fallbacks.map((f, i) => {
      const stored = current?.fallbacks?.find((s) => s.baseURL === f.baseURL);
      return { baseURL: f.baseURL, model: f.model, apiKeyEncrypted: keptKey(config, f.apiKey, stored, `fallbacks.${i}.apiKey`, f.baseURL), ...(f.pricing ? { pricing: f.pricing } : {}) };
    }),
  };
}

/** One tiny completion against the endpoint. */
export async function testLlmEndpoint(config: Config, stored: LlmSettings | undefined, form: z.infer<typeof llmTestBody>) {
  const endpoint = testEndpoint(config, stored, form, 'language model');
  const client = openaiClient(endpoint, { timeoutMs: TEST_TIMEOUT_MS });
  return timedTest(endpoint.baseURL, async () => {
    const completion = await client.chat.completions.create({ model: endpoint.model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 5 });
    // What the model said is not repeated: only that a completion came back.
    if (!completion.choices?.length) throw new Error('no completion');
    return `${endpoint.model} answered with a completion`;
  });
}
