/**
 * Intents (`/v1/intents`): CRUD with labelled examples, bulk import (CSV or JSON lines), "try it"
 * (the offline classifier's top 3 for a sentence) and the tenant's cross-validated accuracy; and
 * the counts of labelled conversations per intent and sentiment (`/v1/analytics/labels`, + .csv).
 * Everyone reads; admins and builders write (plugins/roles.ts).
 */
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_DAYS, MAX_DAYS, isTimeZone } from '../../core/api/analytics';
import { errorResponses, uuidParam } from '../../core/api/common';
import {
  UNKNOWN_INTENT,
  classifyBody,
  classifyResult,
  intentBody,
  intentEvaluation,
  intentImportBody,
  intentImportResult,
  intentList,
  intentPatch,
  intentSchema,
  labelCounts,
  labelCountsQuery,
} from '../../core/api/intents';
import { AppError } from '../../core/errors';
import { crossValidate } from '../../core/intents/classifier';
import { parseExamples } from '../../core/intents/import';
import { intentOf } from '../../core/intents/label';
import { messageSentiment } from '../../core/intents/sentiment';
import type { Intent } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { countLabels, createIntent, deleteIntent, getIntent, importIntentExamples, listIntents, tenantById, tenantIntentModel, trainingExamples, updateIntent } from '../../db/repos';
import { recordChange } from '../plugins/audit';
import type { AppDeps } from '../deps';

const dto = (intent: Intent, examples: string[]) => ({
  id: intent.id,
  name: intent.name,
  description: intent.description,
  exampleCount: examples.length,
  updatedAt: new Date(intent.updatedAt).toISOString(),
  examples,
});
const notFound = () => new AppError('not_found', 'intent not found', { field: 'id' });
const dayOf = (zone: string, at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

export const intentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['intents'];

    app.get('/v1/intents', { schema: { tags, summary: 'Intents, by name, with their example counts', response: { 200: intentList, ...errorResponses } } }, async (request) => ({
      items: (await listIntents(request.em, request.tenantId)).map((i) => ({ ...i, updatedAt: i.updatedAt.toISOString() })),
    }));

    app.post('/v1/intents', { schema: { tags, summary: 'Add an intent with its examples', body: intentBody, response: { 201: intentSchema, ...errorResponses } } }, async (request, reply) => {
      const intent = await createIntent(request.em, request.tenantId, request.body);
      const created = (await getIntent(request.em, intent.id))!;
      return reply.status(201).send(dto(created.intent, created.examples));
    });

    app.post(
      '/v1/intents/import',
      { schema: { tags, summary: 'Add examples in bulk (CSV with intent,text columns, or JSON lines); intents they name are created', body: intentImportBody, response: { 200: intentImportResult, ...errorResponses } } },
      async (request) => {
        const rows = parseExamples(request.body.format, request.body.data);
        const result = await importIntentExamples(request.em, request.tenantId, rows);
        recordChange(request, { targetType: 'intent', after: { format: request.body.format, rows: rows.length, ...result } });
        return result;
      },
    );

    app.post(
      '/v1/intents/classify',
      { schema: { tags, summary: 'Try the offline classifier on a sentence: the top 3 intents and the sentiment', body: classifyBody, response: { 200: classifyResult, ...errorResponses } } },
      async (request) => {
        const model = await tenantIntentModel(request.em, request.tenantId);
        const label = intentOf(model, request.body.text, deps.config.INTENT_CONFIDENCE_THRESHOLD);
        const sentiment = messageSentiment(request.body.text);
        return { intent: label.intent, confidence: label.confidence, top: label.top, threshold: deps.config.INTENT_CONFIDENCE_THRESHOLD, sentiment: sentiment.sentiment, sentimentScore: sentiment.score };
      },
    );

    app.get('/v1/intents/evaluation', { schema: { tags, summary: 'The offline classifier’s 5-fold cross-validated accuracy on the tenant’s examples', response: { 200: intentEvaluation, ...errorResponses } } }, async (request) => {
      const { examples } = await trainingExamples(request.em, request.tenantId);
      const intents = new Set(examples.map((e) => e.intent)).size;
      const cv = intents < 2 ? { accuracy: null, evaluated: 0, folds: 0 } : crossValidate(examples);
      return { intents, examples: examples.length, ...cv };
    });

    app.get('/v1/intents/:id', { schema: { tags, summary: 'An intent with its examples', params: uuidParam, response: { 200: intentSchema, ...errorResponses } } }, async (request) => {
      const found = await getIntent(request.em, request.params.id);
      if (!found) throw notFound();
      return dto(found.intent, found.examples);
    });

    app.put(
      '/v1/intents/:id',
      { schema: { tags, summary: 'Change an intent; `examples` replaces its examples', params: uuidParam, body: intentPatch, response: { 200: intentSchema, ...errorResponses } } },
      async (request) => {
        const before = await getIntent(request.em, request.params.id);
        if (!before) throw notFound();
        const beforeDto = dto(before.intent, before.examples);
        if (!(await updateIntent(request.em, request.tenantId, request.params.id, request.body))) throw notFound();
        const after = (await getIntent(request.em, request.params.id))!;
        const afterDto = dto(after.intent, after.examples);
        recordChange(request, { targetType: 'intent', targetId: request.params.id, before: beforeDto, after: afterDto });
        return afterDto;
      },
    );

    app.delete('/v1/intents/:id', { schema: { tags, summary: 'Delete an intent and its examples', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      if (!(await deleteIntent(request.em, request.params.id))) throw notFound();
      return reply.status(204).send(null);
    });

    /** from..to in the tenant's zone; absent dates are the last DEFAULT_DAYS days, today included. */
    const rangeOf = async (tenantId: string, q: { from?: string; to?: string }) => {
      const zone = (await tenantById(systemEm(deps.orm), tenantId))?.settings.timezone;
      const timezone = zone && isTimeZone(zone) ? zone : 'UTC';
      const to = q.to ?? (q.from && q.from > dayOf(timezone, new Date()) ? q.from : dayOf(timezone, new Date()));
      const from = q.from ?? dayOf('UTC', new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000));
      if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_DAYS) throw new AppError('validation_failed', `the range may span ${MAX_DAYS} days at most`, { field: 'from' });
      return { tenantId, from, to, timezone };
    };
    const countsOf = async (em: Parameters<typeof countLabels>[0], range: Awaited<ReturnType<typeof rangeOf>>) => {
      const counts = await countLabels(em, range);
      return { from: range.from, to: range.to, total: counts.total, intents: counts.intents.map((r) => ({ intent: r.intent ?? UNKNOWN_INTENT, conversations: r.conversations })), sentiments: counts.sentiments };
    };
    const labelsSummary = 'Labelled conversations started from..to (YYYY-MM-DD, inclusive, tenant’s timezone; the last 7 days by default), per intent and per sentiment';

    app.get('/v1/analytics/labels', { schema: { tags: ['analytics'], summary: labelsSummary, querystring: labelCountsQuery, response: { 200: labelCounts, ...errorResponses } } }, async (request) =>
      countsOf(request.em, await rangeOf(request.tenantId, request.query)),
    );

    app.get(
      '/v1/analytics/labels.csv',
      { schema: { tags: ['analytics'], summary: `${labelsSummary}, as CSV (kind,label,conversations)`, querystring: labelCountsQuery, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const data = await countsOf(request.em, await rangeOf(request.tenantId, request.query));
        const rows = [...data.intents.map((r) => ['intent', r.intent, r.conversations]), ...data.sentiments.map((r) => ['sentiment', r.sentiment, r.conversations])];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="labels-${data.from}-${data.to}.csv"`)
          .send(stringify([['kind', 'label', 'conversations'], ...rows]));
      },
    );
  };
