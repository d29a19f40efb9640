/**
 * Campaign records for the REST API: the DTO, list and calendar queries, create and edit of the
 * marketer's fields, and the checks that every id a body names (segment, flow, channels, brand
 * voice, knowledge base) is the caller's own. Status and everything after approval belong to the
 * `campaign` workflow (workflows/campaign.ts); an edit is accepted only while the campaign is a
 * draft or sent back with changes, in one conditional UPDATE, so it cannot slip in after a submit.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignDto, CreateCampaignBody, PatchCampaignBody, listCampaignsQuery } from '../../core/api/campaigns';
import { EDITABLE_CAMPAIGN_STATUSES, type CampaignChannel, type CampaignStatus, type CampaignVariant } from '../../core/campaigns';
import { checkVariant } from '../../core/campaigns/limits';
import { AppError } from '../../core/errors';
import { BrandVoice, Campaign, Channel, Segment } from '../../db/entities';
import { keysetAfter, pageLimit, toPage, type Page } from '../../db/repos';
import { checkVariantVideos } from './campaign-videos';
import { requireFlow, requireKnowledgeBase } from './lookups';
import { iso } from './serialize';
import type { z } from 'zod';

export function campaignDto(c: Campaign): CampaignDto {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    brief: c.brief ?? null,
    variants: c.variants ?? [],
    channels: c.channels,
    channelIds: c.channelIds ?? {},
    segmentId: c.segmentId ?? null,
    flowId: c.flowId ?? null,
    sendAt: iso(c.sendAt),
    timezone: c.timezone ?? null,
    quietHours: c.quietHours ?? null,
    ratePerSecond: c.ratePerSecond ?? {},
    abTest: c.abTest ?? null,
    winnerVariant: c.winnerVariant ?? null,
    createdBy: c.createdBy ?? null,
    submitted: c.submittedBy && c.submittedAt ? { by: c.submittedBy, at: iso(c.submittedAt)! } : null,
    approved: c.approvedBy && c.approvedAt ? { by: c.approvedBy, at: iso(c.approvedAt)! } : null,
    changesRequested: c.changesRequested ?? null,
    workflowId: c.workflowId ?? null,
    startedAt: iso(c.startedAt),
    completedAt: iso(c.completedAt),
    error: c.error ?? null,
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
  };
}

export async function requireCampaign(em: EntityManager, id: string): Promise<Campaign> {
  const campaign = await em.findOne(Campaign, { id });
  if (!campaign) throw new AppError('not_found', 'campaign not found', { field: 'id' });
  return campaign;
}

/** Every id the body names must be the caller's own (a 404 naming the field otherwise), and a channel of the right type. */
export async function checkReferences(em: EntityManager, body: Partial<CreateCampaignBody>): Promise<void> {
  if (body.segmentId && !(await em.findOne(Segment, { id: body.segmentId }))) throw new AppError('not_found', 'segment not found', { field: 'segmentId' });
  if (body.flowId) await requireFlow(em, body.flowId, 'flowId');
  if (body.brief?.knowledgeBaseId) await requireKnowledgeBase(em, body.brief.knowledgeBaseId, 'brief.knowledgeBaseId');
  if (body.brief?.brandVoiceId && !(await em.findOne(BrandVoice, { id: body.brief.brandVoiceId }))) throw new AppError('not_found', 'brand voice not found', { field: 'brief.brandVoiceId' });
  for (const [kind, id] of Object.entries(body.channelIds ?? {}) as [CampaignChannel, string][]) {
    const channel = await em.findOne(Channel, { id });
    if (!channel) throw new AppError('not_found', 'channel not found', { field: `channelIds.${kind}` });
    if (channel.type !== kind) throw new AppError('validation_failed', `channel ${channel.name} is a ${channel.type} channel, not ${kind}`, { field: `channelIds.${kind}` });
  }
}

/** The brief writes for the campaign's channels: what the brief says, or the campaign's own list. */
const briefFor = (body: Pick<CreateCampaignBody, 'brief' | 'channels'>) => (body.brief ? { ...body.brief, channels: body.brief.channels ?? body.channels } : null);

export async function createCampaign(em: EntityManager, tenantId: string, body: CreateCampaignBody, createdBy: string): Promise<Campaign> {
  await checkReferences(em, body);
  const campaign = em.create(Campaign, {
    tenant: tenantId,
    name: body.name,
    status: 'draft',
    brief: briefFor(body),
    variants: [],
    channels: body.channels,
    channelIds: body.channelIds ?? {},
    segmentId: body.segmentId ?? null,
    flowId: body.flowId ?? null,
    sendAt: body.sendAt ? new Date(body.sendAt) : null,
    timezone: body.timezone ?? null,
    quietHours: body.quietHours ?? null,
    ratePerSecond: body.ratePerSecond ?? {},
    abTest: body.abTest ?? null,
    createdBy,
  });
  await em.flush();
  return campaign;
}

/** A draft with its run started (`start` answers the workflow id); if the start fails the draft goes, since a draft without its run could never be submitted. */
export async function createDraftWithRun(em: EntityManager, tenantId: string, body: CreateCampaignBody, createdBy: string, start: (campaignId: string) => Promise<string>): Promise<Campaign> {
  const campaign = await createCampaign(em, tenantId, body, createdBy);
  try {
    campaign.workflowId = await start(campaign.id);
    await em.flush();
  } catch (err) {
    await deleteDraft(em, campaign, async () => {}).catch(() => {});
    throw err;
  }
  return campaign;
}

/**
 * The edited variants as stored: a variant whose content changed is `edited`, and every variant's
 * warnings are worked out again from its content (the limits of core/campaigns/limits.ts), so
 * what the approver sees is true of what will be sent.
 */
function storedVariants(previous: CampaignVariant[], next: CampaignVariant[]): CampaignVariant[] {
  return next.map((v) => {
    const before = previous.find((p) => p.id === v.id);
    const changed = !before || JSON.stringify(before.content) !== JSON.stringify(v.content);
    return { ...v, generatedBy: changed ? 'edited' : before.generatedBy, warnings: checkVariant(v.content) };
  });
}

export async function updateCampaign(em: EntityManager, campaign: Campaign, patch: PatchCampaignBody): Promise<Campaign> {
  if (!EDITABLE_CAMPAIGN_STATUSES.includes(campaign.status)) throw notEditable(campaign.status);
  await checkReferences(em, patch);
  const channels = patch.channels ?? campaign.channels;
  const abTest = patch.abTest === undefined ? campaign.abTest : patch.abTest;
  const variants = patch.variants ? storedVariants(campaign.variants ?? [], patch.variants) : campaign.variants;
  if (patch.variants) await checkVariantVideos(em, patch.variants);
  if (abTest && variants.length < 2) throw new AppError('validation_failed', 'an A/B test needs two variants or more', { field: 'abTest' });
  const changes: Partial<Campaign> = {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.brief !== undefined && { brief: patch.brief ? briefFor({ brief: patch.brief, channels }) : null }),
    ...(patch.channels !== undefined && { channels }),
    ...(patch.channelIds !== undefined && { channelIds: patch.channelIds }),
    ...(patch.segmentId !== undefined && { segmentId: patch.segmentId }),
    ...(patch.flowId !== undefined && { flowId: patch.flowId }),
    ...(patch.sendAt !== undefined && { sendAt: patch.sendAt ? new Date(patch.sendAt) : null }),
    ...(patch.timezone !== undefined && { timezone: patch.timezone }),
    ...(patch.quietHours !== undefined && { quietHours: patch.quietHours }),
    ...(patch.ratePerSecond !== undefined && { ratePerSecond: patch.ratePerSecond }),
    ...(patch.abTest !== undefined && { abTest: patch.abTest }),
    ...(patch.variants !== undefined && { variants }),
  };
  return writeEditable(em, campaign, changes);
}

/** Conditional on the status still being editable: a submit that won the race leaves the row alone. */
async function writeEditable(em: EntityManager, campaign: Campaign, changes: Partial<Campaign>): Promise<Campaign> {
  const updated = await em.nativeUpdate(Campaign, { id: campaign.id, status: { $in: [...EDITABLE_CAMPAIGN_STATUSES] } }, { ...changes, updatedAt: new Date() });
  if (updated === 0) {
    await em.refresh(campaign);
    throw notEditable(campaign.status);
  }
  return (await em.refresh(campaign)) ?? campaign;
}

const notEditable = (status: CampaignStatus) =>
  new AppError('conflict', `a campaign that is ${status.replace('_', ' ')} cannot be edited: only a draft or one sent back with changes`, { field: 'status' });

/**
 * Drafts only: a campaign that was ever submitted keeps its record. The run is cancelled first
 * (`cancelRun`; a run already over is fine), then the row goes, as a draft or as the run left it.
 */
export async function deleteDraft(em: EntityManager, campaign: Campaign, cancelRun: () => Promise<unknown>): Promise<void> {
  if (campaign.status !== 'draft') throw new AppError('conflict', `only a draft can be deleted; cancel a campaign that is ${campaign.status.replace('_', ' ')}`, { field: 'status' });
  await cancelRun().catch((err: unknown) => {
    if (!(err instanceof AppError && err.status === 409)) throw err;
  });
  const deleted = await em.nativeDelete(Campaign, { id: campaign.id, status: { $in: ['draft', 'cancelled'] } });
  if (deleted === 0) throw new AppError('conflict', 'the campaign is no longer a draft', { field: 'status' });
}

/**
 * Newest first, a page at a time; `status` is one status or several (comma-separated). With
 * `from`/`to` (the calendar) only campaigns that go out in the window: by when they started, else
 * by their send time.
 */
export async function listCampaigns(em: EntityManager, query: z.infer<typeof listCampaignsQuery>): Promise<Page<Campaign>> {
  const limit = pageLimit(query.limit);
  const where: Record<string, unknown>[] = [keysetAfter(query.cursor, 'createdAt', 'desc')];
  if (query.status) where.push({ status: { $in: query.status.split(',') } });
  if (query.q) where.push({ name: { $ilike: `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` } });
  if (query.from || query.to) {
    const window = { ...(query.from && { $gte: new Date(query.from) }), ...(query.to && { $lt: new Date(query.to) }) };
    where.push({ $or: [{ startedAt: window }, { startedAt: null, sendAt: window }] });
  }
  const rows = await em.find(Campaign, { $and: where }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return toPage(rows, limit, (c) => c.createdAt);
}

/** The approval queue: awaiting approval, longest waiting first. */
export async function awaitingApproval(em: EntityManager): Promise<Campaign[]> {
  return em.find(Campaign, { status: 'awaiting_approval' }, { orderBy: { submittedAt: 'asc', id: 'asc' }, limit: 200 });
}
