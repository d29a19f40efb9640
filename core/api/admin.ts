/** Administration: users, API keys, the tenant's language-model settings. */
import { z } from 'zod';
import { userRoleSchema } from './auth';

const password = z.string().min(10, 'password must be at least 10 characters').max(1000);

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: userRoleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

export const createUserBody = z.object({
  email: z.email({ message: 'email must be an email address' }).max(320),
  name: z.string().trim().min(1, 'name is required').max(200),
  role: userRoleSchema,
  password,
});

export const updateUserBody = z
  .object({ name: z.string().trim().min(1).max(200).optional(), role: userRoleSchema.optional(), password: password.optional(), disabled: z.boolean().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to update: send name, role, password or disabled', path: ['name'] });

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const createApiKeyBody = z.object({ name: z.string().trim().min(1, 'name is required').max(200) });
/** The only response that ever contains the key. */
export const createdApiKey = z.object({ id: z.string(), name: z.string(), prefix: z.string(), key: z.string() });

export const llmPricingSchema = z.object({ inputPer1M: z.number().min(0), outputPer1M: z.number().min(0) });

const endpoint = {
  baseURL: z.url({ message: 'baseURL must be a URL', protocol: /^https?$/ }),
  model: z.string().trim().min(1, 'model is required').max(200),
};

export const llmSettingsBody = z.object({
  ...endpoint,
  /** Omitted: keep the stored key. Empty string: no key (local servers such as Ollama). */
  apiKey: z.string().max(4000).optional(),
  pricing: llmPricingSchema.optional(),
  /** Tried in order when the primary fails; each fallback keeps its stored key when `apiKey` is omitted and its baseURL is unchanged. */
  fallbacks: z.array(z.object({ ...endpoint, apiKey: z.string().max(4000).optional(), pricing: llmPricingSchema.optional() })).max(5).default([]),
});

export const llmSettingsView = z.object({
  configured: z.boolean(),
  baseURL: z.string().optional(),
  model: z.string().optional(),
  apiKeySet: z.boolean(),
  pricing: llmPricingSchema.optional(),
  fallbacks: z.array(z.object({ baseURL: z.string(), model: z.string(), apiKeySet: z.boolean() })),
});

/** Test the stored settings, or these (an unsaved form) when given; `apiKey` omitted = the stored key. */
export const llmTestBody = z.object({ ...endpoint, apiKey: z.string().max(4000).optional() }).partial();
export const llmTestResult = z.object({ ok: z.boolean(), detail: z.string(), latencyMs: z.number() });
