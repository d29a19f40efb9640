/**
 * `/v1/menu`: menu engineering. Everyone reads; admins, marketers and approvers write; connecting
 * or disconnecting Square (an access token) is the admin's (api/plugins/roles.ts). Every query
 * names the caller's tenant; another tenant's item or promotion is a 404.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignSchema } from '../../core/api/campaigns';
import { errorResponses, uuidParam } from '../../core/api/common';
import {
  acceptPromotionBody,
  forecastQuery,
  forecastResult,
  generatePromotionsBody,
  matrixQuery,
  MAX_MENU_CSV_CHARS,
  menuImportBody,
  menuImportResult,
  menuItemBody,
  menuItemList,
  menuItemPatch,
  menuItemSchema,
  menuMatrixSchema,
  periodQuery,
  promotionList,
  promotionQuery,
  promotionSchema,
  recommendationList,
  squareConnectBody,
  squareConnected,
  squareStatus,
  squareSyncBody,
  squareSyncResult,
  trendsQuery,
  trendsSchema,
  weekdayQuery,
  weekdaySchema,
} from '../../core/api/menu';
import { promotionBrief } from '../../core/menu/promotions';
import { WEEKDAYS } from '../../core/menu/types';
import { AppError } from '../../core/errors';
import { importMenuCsv } from '../../menu/csv-import';
import { forecastFor, matrixWithCurrency, menuCurrency, recommendationsFor, resolvePeriod, trendsFor } from '../../menu/insights';
import { generatePromotions } from '../../menu/promotions';
import { connectSquare, syncSquare } from '../../menu/square-sync';
import {
  decidePromotion,
  deleteMenuItem,
  deletePosConnection,
  getMenuItem,
  getPosConnection,
  getPromotion,
  linkPromotionCampaign,
  listMenuItems,
  listPromotions,
  reopenPromotion,
  salesByWeekday,
  updateMenuItem,
  upsertMenuItems,
  type StoredPromotion,
} from '../../menu/store';
import type { AppDeps } from '../deps';
import { campaignDto, createDraftWithRun } from '../services/campaigns';
import { withModel } from '../services/content';

const itemNotFound = () => new AppError('not_found', 'menu item not found', { field: 'id' });
const promotionNotFound = () => new AppError('not_found', 'promotion not found', { field: 'id' });

const promotionDto = (p: StoredPromotion) => ({ ...p, createdAt: p.createdAt.toISOString(), decidedAt: p.decidedAt ? p.decidedAt.toISOString() : null });

export const menuRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['menu'];
    const contentDeps = { orm: deps.orm, config: deps.config, redis: deps.redis };

    app.get('/v1/menu/items', { schema: { tags, summary: 'Menu items by category and name, with price and food cost in cents', response: { 200: menuItemList, ...errorResponses } } }, async (request) => ({
      items: await listMenuItems(request.em, request.tenantId),
    }));

    app.post('/v1/menu/items', { schema: { tags, summary: 'Add a menu item by hand', body: menuItemBody, response: { 201: menuItemSchema, ...errorResponses } } }, async (request, reply) => {
      const b = request.body;
      const key = `name:${b.name.toLowerCase().replace(/\s+/g, ' ')}`;
      const { ids } = await upsertMenuItems(request.em, request.tenantId, [{ key, name: b.name, category: b.category, priceCents: b.priceCents, foodCostCents: b.foodCostCents, currency: await menuCurrency(request.em, request.tenantId), source: 'manual', externalId: null }]);
      return reply.status(201).send((await getMenuItem(request.em, request.tenantId, ids.get(key)!))!);
    });

    app.patch('/v1/menu/items/:id', { schema: { tags, summary: 'Change an item: name, category, price, food cost (null: unknown), active', params: uuidParam, body: menuItemPatch, response: { 200: menuItemSchema, ...errorResponses } } }, async (request) => {
      const before = await getMenuItem(request.em, request.tenantId, request.params.id);
      if (!before) throw itemNotFound();
      const price = request.body.priceCents ?? before.priceCents;
      const cost = request.body.foodCostCents === undefined ? before.foodCostCents : request.body.foodCostCents;
      if (cost !== null && cost > price) throw new AppError('validation_failed', 'foodCostCents must not exceed the price', { field: 'foodCostCents' });
      return (await updateMenuItem(request.em, request.tenantId, request.params.id, request.body))!;
    });

    app.delete('/v1/menu/items/:id', { schema: { tags, summary: 'Delete an item and its sales', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      if (!(await deleteMenuItem(request.em, request.tenantId, request.params.id))) throw itemNotFound();
      return reply.status(204).send(null);
    });

    app.post(
      '/v1/menu/import',
      {
        bodyLimit: MAX_MENU_CSV_CHARS * 4 + 64 * 1024,
        schema: {
          tags,
          summary: 'Import items and sales from a POS export (CSV)',
          description:
            'Columns map to fields by `mapping` ({"column": "field"}; fields: name, category, price, foodCost, sku, date, quantity, revenue, skip) or by their headers ' +
            '("Item", "Qty", "Gross Sales", "Unit Cost"…). A dated row is a sale; lines of the same item and day add up, and each (item, day) is set to the file\'s total, ' +
            'so importing the same file twice changes nothing. Items are known by SKU, else by name. Rejected rows are listed with the field and why (up to 200).',
          body: menuImportBody,
          response: { 200: menuImportResult, ...errorResponses },
        },
      },
      async (request) => importMenuCsv(request.em, request.tenantId, request.body.csv, request.body),
    );

    app.get('/v1/menu/matrix', { schema: { tags, summary: 'The menu engineering matrix (Kasavana & Smith) per category for a period', querystring: matrixQuery, response: { 200: menuMatrixSchema, ...errorResponses } } }, async (request) => {
      const period = await resolvePeriod(request.em, request.tenantId, request.query);
      return matrixWithCurrency(request.em, request.tenantId, { ...period, ...(request.query.category ? { category: request.query.category } : {}) });
    });

    app.get('/v1/menu/trends', { schema: { tags, summary: "Each item's class and units in the period and in the previous one (same length, unless previousFrom/previousTo)", querystring: trendsQuery, response: { 200: trendsSchema, ...errorResponses } } }, async (request) => {
      const period = await resolvePeriod(request.em, request.tenantId, request.query);
      return trendsFor(request.em, request.tenantId, period, { from: request.query.previousFrom, to: request.query.previousTo });
    });

    app.get('/v1/menu/recommendations', { schema: { tags, summary: 'What to do with each item (keep, reprice, reposition, rework, remove), with the arithmetic', querystring: periodQuery, response: { 200: recommendationList, ...errorResponses } } }, async (request) => {
      const period = await resolvePeriod(request.em, request.tenantId, request.query);
      return { ...period, items: await recommendationsFor(request.em, request.tenantId, period) };
    });

    app.get('/v1/menu/weekdays', { schema: { tags, summary: 'Units and revenue per weekday, with the average per such day (all items, or one)', querystring: weekdayQuery, response: { 200: weekdaySchema, ...errorResponses } } }, async (request) => {
      const period = await resolvePeriod(request.em, request.tenantId, request.query);
      if (request.query.itemId && !(await getMenuItem(request.em, request.tenantId, request.query.itemId))) throw new AppError('not_found', 'menu item not found', { field: 'itemId' });
      const days = await salesByWeekday(request.em, request.tenantId, { ...period, itemId: request.query.itemId });
      return { ...period, days: days.map((d) => ({ ...d, name: WEEKDAYS[d.weekday]! })) };
    });

    app.get(
      '/v1/menu/forecast',
      { schema: { tags, summary: 'Demand per item and day: weekday index × linear trend, backtested on the last held-out weeks (MAPE), and the next days', querystring: forecastQuery, response: { 200: forecastResult, ...errorResponses } } },
      async (request) => {
        if (request.query.itemId && !(await getMenuItem(request.em, request.tenantId, request.query.itemId))) throw new AppError('not_found', 'menu item not found', { field: 'itemId' });
        return forecastFor(request.em, request.tenantId, request.query);
      },
    );

    // ---- Square ----

    app.get('/v1/menu/square', { schema: { tags, summary: 'The Square connection: locations and the last sync (never the token)', response: { 200: squareStatus, ...errorResponses } } }, async (request) => {
      const c = await getPosConnection(request.em, request.tenantId);
      return { connected: !!c, locationIds: c?.locationIds ?? [], currency: c?.currency ?? null, lastSyncedAt: c?.lastSyncedAt?.toISOString() ?? null, lastSync: c?.lastSync ?? null };
    });

    app.put('/v1/menu/square', { schema: { tags, summary: "Connect Square with an access token (checked against ListLocations, stored encrypted); `locationIds` default to the account's active ones", body: squareConnectBody, response: { 200: squareConnected, ...errorResponses } } }, async (request) =>
      connectSquare(request.em, request.tenantId, deps.config, request.body.accessToken, request.body.locationIds),
    );

    app.delete('/v1/menu/square', { schema: { tags, summary: 'Disconnect Square (the token is deleted; items and sales stay)', response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      if (!(await deletePosConnection(request.em, request.tenantId))) throw new AppError('not_found', 'Square is not connected', { field: 'square' });
      return reply.status(204).send(null);
    });

    app.post('/v1/menu/square/sync', { schema: { tags, summary: "Read Square's catalog into items and its completed orders into daily sales (default: the last 56 days)", body: squareSyncBody, response: { 200: squareSyncResult, ...errorResponses } } }, async (request) => {
      const to = request.body.to ?? new Date().toISOString().slice(0, 10);
      const from = request.body.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 55 * 86_400_000).toISOString().slice(0, 10);
      return syncSquare(request.em, request.tenantId, deps.config, { from, to });
    });

    // ---- promotions ----

    app.get('/v1/menu/promotions', { schema: { tags, summary: 'Promotions, newest first', querystring: promotionQuery, response: { 200: promotionList, ...errorResponses } } }, async (request) => ({
      items: (await listPromotions(request.em, request.tenantId, request.query.status)).map(promotionDto),
    }));

    app.post(
      '/v1/menu/promotions/generate',
      { schema: { tags, summary: 'Propose promotions for puzzles and slow days (rules), with copy by the model in the brand voice or the offline template writer; replaces the open proposals', body: generatePromotionsBody, response: { 200: promotionList, ...errorResponses } } },
      async (request) => {
        const period = await resolvePeriod(request.em, request.tenantId, request.body);
        const items = await withModel(() => generatePromotions(contentDeps, request.em, request.tenantId, period, { brandVoiceId: request.body.brandVoiceId }));
        return { items: items.map(promotionDto) };
      },
    );

    app.post('/v1/menu/promotions/:id/dismiss', { schema: { tags, summary: 'Dismiss a proposed promotion', params: uuidParam, response: { 200: promotionSchema, ...errorResponses } } }, async (request) => {
      const p = await getPromotion(request.em, request.tenantId, request.params.id);
      if (!p) throw promotionNotFound();
      if (!(await decidePromotion(request.em, request.tenantId, p.id, 'dismissed'))) throw new AppError('conflict', `the promotion is already ${p.status}`, { field: 'id' });
      return promotionDto((await getPromotion(request.em, request.tenantId, p.id))!);
    });

    app.post(
      '/v1/menu/promotions/:id/accept',
      {
        schema: {
          tags,
          summary: 'Accept a promotion: a campaign draft is made from it (brief: the offer, its day, the item facts) and its content written by the campaign run, in the brand voice',
          params: uuidParam,
          body: acceptPromotionBody,
          response: { 201: z.object({ promotion: promotionSchema, campaign: campaignSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const p = await getPromotion(request.em, request.tenantId, request.params.id);
        if (!p) throw promotionNotFound();
        // Claimed first, so two accepts make one campaign.
        if (!(await decidePromotion(request.em, request.tenantId, p.id, 'accepted'))) throw new AppError('conflict', `the promotion is already ${p.status}`, { field: 'id' });
        const runs = deps.workflows.campaigns;
        const { channels, segmentId, brandVoiceId, name } = request.body;
        let campaign;
        try {
          campaign = await createDraftWithRun(
            request.em,
            request.tenantId,
            { name: name ?? p.title.slice(0, 200), channels, brief: promotionBrief(p, channels, brandVoiceId), ...(segmentId ? { segmentId } : {}) },
            request.principal.label,
            (id) => runs.startCampaign(request.tenantId, id),
          );
        } catch (err) {
          await reopenPromotion(request.em, request.tenantId, p.id);
          throw err;
        }
        await linkPromotionCampaign(request.em, request.tenantId, p.id, campaign.id);
        // The run writes the content (the tenant's model in the brand voice, or the template writer) and stores it on the draft.
        try {
          await runs.campaignUpdate(request.tenantId, campaign.id, 'generate', {});
        } catch (err) {
          // The draft and the acceptance stand; the content can be written again from the campaign's page.
          if (!(err instanceof AppError)) throw err;
          throw new AppError(err.code, `campaign draft ${campaign.id} was made from the promotion, but its content could not be written (${err.message}): open it and generate the content again`, { field: 'campaignId' });
        }
        const fresh = (await request.em.refresh(campaign)) ?? campaign;
        return reply.status(201).send({ promotion: promotionDto((await getPromotion(request.em, request.tenantId, p.id))!), campaign: campaignDto(fresh) });
      },
    );
  };
