/** Administration: users, API keys, the tenant's language model, embeddings and reranker. */
import { z } from 'zod';
import { passwordProblem } from '../passwords';
import { text } from './common';
import { userRoleSchema } from './auth';

/** The rule without the email (checked where the email is known: below, and when a password changes). */
const password = text()
  .max(1000)
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A phone number in E.164 form (+ and 7–15 digits). */
export const phoneSchema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'phone must be an E.164 number such as +4930123456');

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: userRoleSchema,
  disabled: z.boolean(),
  /** E.164: calls this user takes over ring here; agents with one ring on a transfer to the human agents. */
  phone: z.string().nullable(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

export const userList = z.object({ items: z.array(userSchema) });

export const createUserBody = z
  .object({
    email: z.email({ message: 'email must be an email address' }).max(320),
    name: text().trim().min(1, 'name is required').max(200),
    role: userRoleSchema,
    password,
    phone: phoneSchema.optional(),
  })
  .superRefine((body, ctx) => {
    const problem = passwordProblem(body.password, body.email);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['password'] });
  });

export const updateUserBody = z
  .object({ name: text().trim().min(1).max(200).optional(), role: userRoleSchema.optional(), password: password.optional(), disabled: z.boolean().optional(), phone: phoneSchema.nullable().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to update: send name, role, password, disabled or phone', path: ['name'] });

/**
 * What a key may do: `admin` everything in its tenant; `read-only` what the viewer role may (reads
 * and knowledge-base search); `runs-only` start flow runs and follow them (API_KEY_SCOPE_ROUTES).
 */
export const API_KEY_SCOPES = ['admin', 'read-only', 'runs-only'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES, { message: `scope must be one of ${API_KEY_SCOPES.join(', ')}` });

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scope: apiKeyScopeSchema,
  /** After this instant the key is refused (401); null: it does not expire. */
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const apiKeyList = z.object({ items: z.array(apiKeySchema) });

export const createApiKeyBody = z.object({
  name: text().trim().min(1, 'name is required').max(200),
  scope: apiKeyScopeSchema.default('admin'),
  expiresAt: z.iso
    .datetime({ offset: true, message: 'expiresAt must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' })
    .refine((at) => Date.parse(at) > Date.now(), { message: 'expiresAt must be in the future' })
    .nullable()
    .default(null),
});
/** The only response that ever contains the key. */
export const createdApiKey = z.object({ id: z.string(), name: z.string(), prefix: z.string(), scope: apiKeyScopeSchema, expiresAt: z.string().nullable(), key: z.string() });

export const llmPricingSchema = z.object({ inputPer1M: z.number().min(0), outputPer1M: z.number().min(0) });

const endpoint = {
  baseURL: z.url({ message: 'baseURL must be a URL', protocol: /^https?$/ }),
  model: text().trim().min(1, 'model is required').max(200),
};

/** Omitted: keep the stored key. Empty string: no key (local servers such as Ollama). */
const apiKey = text().max(4000).optional();

export const llmSettingsBody = z.object({
  ...endpoint,
  apiKey,
  pricing: llmPricingSchema.optional(),
  /** Tried in order when the primary fails; each fallback keeps its stored key when `apiKey` is omitted and its baseURL is unchanged. */
  fallbacks: z.array(z.object({ ...endpoint, apiKey, pricing: llmPricingSchema.optional() })).max(5).default([]),
});

/** A stored provider as it is shown: never its key, only whether one is set. */
const providerView = { configured: z.boolean(), baseURL: z.string().optional(), model: z.string().optional(), apiKeySet: z.boolean() };
/** What every provider view has (the console's provider form works on any of them). */
export const providerViewSchema = z.object(providerView);

export const llmSettingsView = z.object({
  ...providerView,
  pricing: llmPricingSchema.optional(),
  fallbacks: z.array(z.object({ baseURL: z.string(), model: z.string(), apiKeySet: z.boolean() })),
});

/** Test the stored settings, or these (an unsaved form) when given; `apiKey` omitted = the stored key. */
export const llmTestBody = z.object({ ...endpoint, apiKey }).partial();
export const llmTestResult = z.object({ ok: z.boolean(), detail: z.string(), latencyMs: z.number() });

/** The OpenAI-compatible `/embeddings` endpoint knowledge bases use; unset = the offline embedder. */
export const embeddingSettingsBody = z.object({ ...endpoint, apiKey });
/** The offline model scripts/models.sh installs: what it is, where it comes from, and whether this server has it. */
export const localModelView = z.object({
  id: z.string(),
  model: z.string(),
  source: z.string(),
  licence: z.string(),
  dimensions: z.number().int(),
  installed: z.boolean(),
});
export const embeddingSettingsView = z.object({
  ...providerView,
  /** `endpoint`: an `/embeddings` endpoint; `local`: the offline model; absent: the hashed n-gram embedder. */
  kind: z.enum(['endpoint', 'local']).optional(),
  /** The embedder chunks and queries are embedded with now (`offline:hashed-ngrams-v2` when none is configured). */
  embedderId: z.string(),
  /** The embedder used when nothing is configured: it needs no download. */
  fallbackEmbedderId: z.string(),
  localModel: localModelView,
  /** What the console proposes: the offline model when it is installed, else an endpoint. */
  recommended: z.enum(['local', 'endpoint']),
});
/** After a change of embedder every document is indexed again; until each is, it is found by full text only. */
export const embeddingSettingsSaved = embeddingSettingsView.extend({ reindexing: z.number().int().describe('documents being reindexed by this change') });
export const embeddingTestBody = llmTestBody;

export const rerankerKindSchema = z.enum(['rerank-api', 'llm'], { message: 'kind must be "rerank-api" (a /rerank cross-encoder) or "llm" (a chat model)' });
/** The optional reranking step's provider: a `/rerank` cross-encoder or an OpenAI-compatible chat model. */
export const rerankerSettingsBody = z.object({ kind: rerankerKindSchema, ...endpoint, apiKey });
export const rerankerSettingsView = z.object({ ...providerView, kind: rerankerKindSchema.optional() });
export const rerankerTestBody = z.object({ kind: rerankerKindSchema, ...endpoint, apiKey }).partial();

