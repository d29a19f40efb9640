/**
 * Campaigns over REST. A campaign is a row (the marketer's fields and content, edited here while it
 * is a draft or sent back) and one `campaign` workflow, started with the draft: every action after
 * that (generate, submit, approve, request changes, pause, resume, cancel, rate) is an update of
 * the run through temporal/campaigns.ts, answered with the run's new state (generate: the campaign
 * with its content), or a 409 naming why the run refused it. Reads (progress, preview, results,
 * the CSV) never change anything. Who may do what is api/plugins/roles.ts: marketers write,
 * approvers approve.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  campaignList,
  campaignResultsSchema,
  campaignSchema,
  campaignStateSchema,
  type CampaignStateDto,
  createCampaignBody,
  generateBody,
  listCampaignsQuery,
  patchCampaignBody,
  previewQuery,
  previewSchema,
  rateBody,
  RECIPIENT_CSV_COLUMNS,
  requestChangesBody,
} from '../../core/api/campaigns';
import { errorResponses, uuidParam } from '../../core/api/common';
import { campaignResults, recipientResultPage } from '../../db/repos';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';
import { campaignProgress, csvCell, recipientCsvRow } from '../services/campaign-progress';
import { previewCampaign } from '../services/campaign-preview';
import { awaitingApproval, campaignDto, checkReferences, createDraftWithRun, deleteDraft, listCampaigns, requireCampaign, updateCampaign } from '../services/campaigns';

const CSV_PAGE = 1000;

export const campaignRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['campaigns'];
    const runs = deps.workflows.campaigns;

    app.get('/v1/campaigns', { schema: { tags, summary: 'Campaigns, newest first; `status` (comma-separated), `q` (name), `from`/`to` (the calendar: when they go out)', querystring: listCampaignsQuery, response: { 200: campaignList, ...errorResponses } } }, async (request) => {
      const page = await listCampaigns(request.em, request.query);
      return { items: page.items.map(campaignDto), nextCursor: page.nextCursor };
    });

    app.get('/v1/campaigns/approvals', { schema: { tags, summary: 'The approval queue: campaigns awaiting approval, longest waiting first', response: { 200: campaignList, ...errorResponses } } }, async (request) => ({
      items: (await awaitingApproval(request.em)).map(campaignDto),
      nextCursor: null,
    }));

    app.post('/v1/campaigns', { schema: { tags, summary: 'Create a draft campaign; its workflow starts with it and waits for the next action', body: createCampaignBody, response: { 201: campaignSchema, ...errorResponses } } }, async (request, reply) => {
      const campaign = await createDraftWithRun(request.em, request.tenantId, request.body, request.principal.label, (id) => runs.startCampaign(request.tenantId, id));
      return reply.status(201).send(campaignDto(campaign));
    });

    app.get('/v1/campaigns/:id', { schema: { tags, summary: 'A campaign', params: uuidParam, response: { 200: campaignSchema, ...errorResponses } } }, async (request) =>
      campaignDto(await requireCampaign(request.em, request.params.id)),
    );

    app.patch(
      '/v1/campaigns/:id',
      { schema: { tags, summary: 'Edit a draft, or a campaign sent back with changes (409 in any other status); edited variants are marked `edited` and their warnings checked again', params: uuidParam, body: patchCampaignBody, response: { 200: campaignSchema, ...errorResponses } } },
      async (request) => {
        const campaign = await requireCampaign(request.em, request.params.id);
        const before = campaignDto(campaign);
        const after = campaignDto(await updateCampaign(request.em, campaign, request.body));
        recordChange(request, { targetType: 'campaign', targetId: campaign.id, before, after });
        return after;
      },
    );

    app.delete('/v1/campaigns/:id', { schema: { tags, summary: 'Delete a draft (its run is cancelled); a campaign past draft is cancelled instead (409)', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      const campaign = await requireCampaign(request.em, request.params.id);
      await deleteDraft(request.em, campaign, () => runs.campaignUpdate(request.tenantId, campaign.id, 'cancel', { by: request.principal.label }));
      return reply.status(204).send(null);
    });

    app.post(
      '/v1/campaigns/:id/generate',
      { schema: { tags, summary: "Write the content from the brief (or a new brief) with the tenant's model or the offline template-writer: every channel, or `channelsOnly` (the others kept); answers the campaign with its variants", params: uuidParam, body: generateBody, response: { 200: campaignSchema, ...errorResponses } } },
      async (request) => {
        const campaign = await requireCampaign(request.em, request.params.id);
        if (request.body.brief) await checkReferences(request.em, { brief: request.body.brief });
        // The run writes the content (status `generating` meanwhile) and stores it on the row.
        await runs.campaignUpdate(request.tenantId, campaign.id, 'generate', request.body);
        return campaignDto((await request.em.refresh(campaign)) ?? campaign);
      },
    );

    /** An action of the run, answered with its new state. */
    const action = <B extends z.ZodType>(path: string, summary: string, body: B | null, run: (ref: { tenantId: string; id: string; by: string; role: string }, body: z.infer<B>) => Promise<CampaignStateDto>) =>
      app.post(`/v1/campaigns/:id/${path}`, { schema: { tags, summary, params: uuidParam, ...(body ? { body } : {}), response: { 200: campaignStateSchema, ...errorResponses } } }, async (request) => {
        const campaign = await requireCampaign(request.em, request.params.id);
        return run({ tenantId: request.tenantId, id: campaign.id, by: request.principal.label, role: request.principal.role }, request.body as z.infer<B>);
      });
    const none = null as z.ZodNull | null;

    action('submit', 'Submit for approval', none, (r) => runs.campaignUpdate(r.tenantId, r.id, 'submit', { by: r.by }));
    action('approve', 'Approve (approvers): it is scheduled for its send time, or starts sending', none, (r) => runs.campaignUpdate(r.tenantId, r.id, 'approve', { by: r.by, role: r.role }));
    action('request-changes', 'Send it back to its author with a comment (approvers)', requestChangesBody, (r, body) => runs.campaignUpdate(r.tenantId, r.id, 'requestChanges', { by: r.by, comment: body.comment }));
    action('pause', 'Pause sending (or the wait for the send time); nothing more goes out until resumed', none, (r) => runs.campaignUpdate(r.tenantId, r.id, 'pause', { by: r.by }));
    action('resume', 'Resume a paused campaign where it stopped', none, (r) => runs.campaignUpdate(r.tenantId, r.id, 'resume', { by: r.by }));
    action('cancel', 'Cancel: nobody else gets it; those sent stay sent', none, (r) => runs.campaignUpdate(r.tenantId, r.id, 'cancel', { by: r.by }));
    action('rate', 'Change the send rate per channel (messages per second), from the next page on', rateBody, (r, body) => runs.campaignUpdate(r.tenantId, r.id, 'changeRate', { by: r.by, ratePerSecond: body.ratePerSecond }));

    app.get('/v1/campaigns/:id/progress', { schema: { tags, summary: "The run's live counters (from the recipients once the run is gone)", params: uuidParam, response: { 200: campaignStateSchema, ...errorResponses } } }, async (request) => {
      const campaign = await requireCampaign(request.em, request.params.id);
      return campaignProgress(request.em, runs, campaign);
    });

    app.get(
      '/v1/campaigns/:id/preview',
      { schema: { tags, summary: 'A variant personalized for one contact (or with every fallback), per channel', params: uuidParam, querystring: previewQuery, response: { 200: previewSchema, ...errorResponses } } },
      async (request) => previewCampaign(request.em, await requireCampaign(request.em, request.params.id), request.query),
    );

    app.get(
      '/v1/campaigns/:id/results',
      { schema: { tags, summary: 'Targeted, skipped by reason, sent, delivered, read, failed by provider reason, replied, clicked, opted out: in total, per variant and per channel', params: uuidParam, response: { 200: campaignResultsSchema, ...errorResponses } } },
      async (request) => {
        const campaign = await requireCampaign(request.em, request.params.id);
        const results = await campaignResults(request.em, request.tenantId, campaign.id);
        return { campaignId: campaign.id, status: campaign.status, winnerVariant: campaign.winnerVariant ?? null, ...results };
      },
    );

    app.get(
      '/v1/campaigns/:id/results.csv',
      { schema: { tags, summary: 'Every recipient with their channel, variant, status and times, as CSV', params: uuidParam, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const { em, tenantId } = request;
        const campaign = await requireCampaign(em, request.params.id);
        async function* rows() {
          let afterId: string | undefined;
          for (;;) {
            const page = await recipientResultPage(em, tenantId, campaign.id, { afterId, limit: CSV_PAGE });
            for (const r of page) yield recipientCsvRow(r);
            if (page.length < CSV_PAGE) return;
            afterId = page.at(-1)!.id;
          }
        }
        const csv = Readable.from(rows()).pipe(stringify({ header: true, columns: [...RECIPIENT_CSV_COLUMNS], cast: { string: csvCell } }));
        const name = campaign.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'campaign';
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}-recipients.csv"`).send(csv);
      },
    );
  };
