/**
 * Tenant settings (admin only, by the /v1/settings rule in plugins/roles.ts): the language model,
 * the embedding endpoint and the reranker. Each is one resource with the same four routes: read
 * (never the key), set (an omitted apiKey keeps the stored one for the stored baseURL; a baseURL
 * the address policy refuses is a 400), remove, and a connection test.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { embedderIdFor } from '../../knowledge/tenant-embedder';
import {
  embeddingSettingsBody,
  embeddingSettingsSaved,
  embeddingSettingsView,
  embeddingTestBody,
  llmSettingsBody,
  llmSettingsView,
  llmTestBody,
  llmTestResult,
  rerankerSettingsBody,
  rerankerSettingsView,
  rerankerTestBody,
} from '../../core/api/admin';
import { errorResponses } from '../../core/api/common';
import type { Config } from '../../core/config';
import { Tenant, type TenantSettings } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { tenantById, updateTenantSettings } from '../../db/repos';
import * as embeddings from '../services/embedding-settings';
import * as llm from '../services/llm-settings';
import { checkBaseUrls, type TestResult } from '../services/provider-settings';
import { reindexTenantDocuments } from '../services/reindex';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';

type Key = 'llm' | 'embeddings' | 'reranker' | 'elevenlabs' | 'did' | 'googlePlaces' | 'yelp' | 'facebookGraph';

export interface Resource<K extends Key, Body extends z.ZodType, TestBody extends z.ZodType> {
  key: K;
  /** The URL segment when it is not the key (`google-places` for `googlePlaces`). */
  path?: string;
  /** What the summaries call it. */
  noun: string;
  /** What answers once it is removed. */
  without: string;
  body: Body;
  view: z.ZodType;
  testBody: TestBody;
  toView(stored: TenantSettings[K]): object;
  merge(config: Config, current: TenantSettings[K], body: z.infer<Body>): NonNullable<TenantSettings[K]>;
  test(config: Config, current: TenantSettings[K], form: z.infer<TestBody>): Promise<TestResult>;
  /** After a stored change (set or remove): its result joins the answer, so a remove answers 200 with it instead of 204. */
  afterChange?: { view: z.ZodType; run(tenantId: string, before: TenantSettings[K], after: TenantSettings[K]): Promise<object> };
}

export function resourceRoutes<K extends Key, Body extends z.ZodType, TestBody extends z.ZodType>(app: FastifyInstance, deps: AppDeps, r: Resource<K, Body, TestBody>) {
  const tags = ['settings'];
  const path = `/v1/settings/${r.path ?? r.key}`;
  const current = async (tenantId: string) => (await tenantById(systemEm(deps.orm), tenantId))?.settings[r.key];
  const changed = async (tenantId: string, before: TenantSettings[K], after: TenantSettings[K]) => ({
    ...r.toView(after),
    ...(r.afterChange ? await r.afterChange.run(tenantId, before, after) : {}),
  });
  const savedView = r.afterChange?.view ?? r.view;
  const removed = r.afterChange ? { 200: savedView } : { 204: z.null() };

  app.get(path, { schema: { tags, summary: `The ${r.noun} (never its key)`, response: { 200: r.view, ...errorResponses } } }, async (request) =>
    r.toView(await current(request.tenantId)),
  );

  app.put(
    path,
    { schema: { tags, summary: `Set the ${r.noun}; an omitted apiKey keeps the stored one`, body: r.body, response: { 200: savedView, ...errorResponses } } },
    async (request) => {
      const body = request.body as { baseURL: string; fallbacks?: { baseURL: string }[] };
      await checkBaseUrls(deps.config, [['baseURL', body.baseURL], ...(body.fallbacks ?? []).map((f, i): [string, string] => [`fallbacks.${i}.baseURL`, f.baseURL])]);
      const before = await current(request.tenantId);
      const next = r.merge(deps.config, before, request.body as z.infer<Body>);
      const tenant = await updateTenantSettings(systemEm(deps.orm), request.tenantId, { [r.key]: next });
      recordChange(request, { targetType: `settings.${r.key}`, targetId: request.tenantId, before: r.toView(before), after: r.toView(tenant.settings[r.key]) });
      return changed(request.tenantId, before, tenant.settings[r.key]);
    },
  );

  app.delete(
    path,
    { schema: { tags, summary: `Remove the ${r.noun}: ${r.without}`, response: { ...removed, ...errorResponses } } },
    async (request, reply) => {
      const em = systemEm(deps.orm);
      const tenant = await em.findOneOrFail(Tenant, { id: request.tenantId });
      const { [r.key]: before, ...rest } = tenant.settings;
      tenant.settings = rest;
      await em.flush();
      recordChange(request, { targetType: `settings.${r.key}`, targetId: request.tenantId, before: r.toView(before as TenantSettings[K]), after: r.toView(undefined as TenantSettings[K]) });
      // Typed by the schema's union of statuses, which a generic route cannot narrow.
      if (!r.afterChange) return (reply as FastifyReply).status(204).send(null);
      return changed(request.tenantId, before as TenantSettings[K], undefined as TenantSettings[K]);
    },
  );

  app.post(
    `${path}/test`,
    { schema: { tags, summary: `One tiny call to the ${r.noun}: the stored one, or the given (unsaved) fields`, body: r.testBody.nullish(), response: { 200: llmTestResult, ...errorResponses } } },
    async (request) => r.test(deps.config, await current(request.tenantId), (request.body ?? {}) as z.infer<TestBody>),
  );
}

export const settingsRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    resourceRoutes(app, deps, {
      key: 'llm',
      noun: 'language model',
      without: 'the offline responder answers again',
      body: llmSettingsBody,
      view: llmSettingsView,
      testBody: llmTestBody,
      toView: llm.llmSettingsView,
      merge: llm.mergeLlmSettings,
      test: llm.testLlmEndpoint,
    });

    resourceRoutes(app, deps, {
      key: 'embeddings',
      noun: 'embedding endpoint',
      without: 'knowledge bases use the offline embedder again',
      body: embeddingSettingsBody,
      view: embeddingSettingsView,
      testBody: embeddingTestBody,
      toView: embeddings.embeddingSettingsView,
      merge: embeddings.mergeEmbeddingSettings,
      test: embeddings.testEmbeddingEndpoint,
      afterChange: {
        view: embeddingSettingsSaved,
        // Vectors of two embedders are not comparable: every document is indexed again with the new one.
        run: async (tenantId, before, after) => ({
          reindexing: embedderIdFor(before) === embedderIdFor(after) ? 0 : await reindexTenantDocuments(deps, tenantId),
        }),
      },
    });

    // The offline model has no endpoint fields: choosing it is its own route (removing it is the DELETE above).
    app.put(
      '/v1/settings/embeddings/local',
      { schema: { tags: ['settings'], summary: 'Use the offline embedding model installed on this server (400 when it is not)', response: { 200: embeddingSettingsSaved, ...errorResponses } } },
      async (request) => {
        const next = embeddings.localEmbeddingSettings();
        const before = (await tenantById(systemEm(deps.orm), request.tenantId))?.settings.embeddings;
        await updateTenantSettings(systemEm(deps.orm), request.tenantId, { embeddings: next });
        const reindexing = embedderIdFor(before) === embedderIdFor(next) ? 0 : await reindexTenantDocuments(deps, request.tenantId);
        return { ...embeddings.embeddingSettingsView(next), reindexing };
      },
    );

    resourceRoutes(app, deps, {
      key: 'reranker',
      noun: 'reranker',
      without: 'searches keep the fused order',
      body: rerankerSettingsBody,
      view: rerankerSettingsView,
      testBody: rerankerTestBody,
      toView: embeddings.rerankerSettingsView,
      merge: embeddings.mergeRerankerSettings,
      test: embeddings.testRerankerEndpoint,
    });
  };
