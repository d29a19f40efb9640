/**
 * The campaign's status as its workflow moves it: each transition is written with who and when,
 * checked against the row (a retried activity finds its own write and does nothing twice), and
 * announced on the event stream once (the job id is the activity's identity).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { CAMPAIGN_EVENTS, refuseAction, type CampaignAction, type CampaignStatus } from '../../core/campaigns';
import { AppError } from '../../core/errors';
import { campaignWorkflowId } from '../../core/ids';
import type { Campaign } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { templateRefusal } from '../../core/campaigns/whatsapp-templates';
import { audienceSnapshot, cancelOutstandingRecipients, defaultChannelIds, getCampaign } from '../../db/repos/campaigns';
import { findWhatsappTemplate } from '../../db/repos/whatsapp-templates';
import { sha256 } from '../../events/sink';
import { activityContext } from '../context';
import type { ActivityDeps } from '../deps';
import { queueEvent } from '../events';
import type { CampaignActivities, CampaignSnapshot, CampaignTransition } from './types';

export function snapshotOf(row: Campaign): CampaignSnapshot {
  const ab = row.abTest && row.variants.length > 1 ? row.abTest : null;
  return {
    status: row.status,
    sendAt: row.sendAt ? row.sendAt.toISOString() : null,
    ratePerSecond: row.ratePerSecond ?? {},
    winnerVariant: row.winnerVariant ?? null,
    abWaitMinutes: ab ? ab.waitMinutes : null,
  };
}

/** Where each action leads (resume: back to where the pause found it). */
function target(action: CampaignAction, row: Campaign, input: CampaignTransition): CampaignStatus {
  switch (action) {
    case 'submit': return 'awaiting_approval';
    case 'approve': return 'scheduled';
    case 'requestChanges': return 'changes_requested';
    case 'send': return 'sending';
    case 'pause': return 'paused';
    case 'resume': return input.resumeTo ?? 'scheduled';
    case 'cancel': return 'cancelled';
    case 'complete': return 'completed';
    case 'fail': return 'failed';
    case 'generate':
    case 'changeRate': return row.status;
  }
}

const EVENT_OF: Partial<Record<CampaignAction, keyof typeof CAMPAIGN_EVENTS>> = {
  submit: 'submitted',
  requestChanges: 'changes_requested',
  send: 'sending',
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
  complete: 'completed',
  fail: 'failed',
};

/** Each variant's WhatsApp template must be usable on the campaign's WhatsApp channel (templateRefusal says when). */
async function checkWhatsappTemplates(em: EntityManager, tenantId: string, row: Campaign, action: 'submit' | 'approve'): Promise<void> {
  if (!row.channels.includes('whatsapp')) return;
  const channelId = row.channelIds.whatsapp ?? (await defaultChannelIds(em, tenantId)).whatsapp;
  for (const [i, variant] of row.variants.entries()) {
    const template = variant.content.whatsapp?.template;
    if (!template) continue;
    const found = channelId ? await findWhatsappTemplate(em, channelId, template.name, template.language) : null;
    const refusal = templateRefusal(action, template, found);
    if (refusal) throw new AppError('validation_failed', `variant ${variant.id}: ${refusal}`, { field: `variants.${i}.content.whatsapp.template` });
  }
}

export function lifecycleActivities({ orm, eventsQueue }: ActivityDeps): Pick<CampaignActivities, 'loadCampaign' | 'transitionCampaign'> {
  async function emit(tenantId: string, campaignId: string, kind: keyof typeof CAMPAIGN_EVENTS, data: Record<string, unknown>): Promise<void> {
    const type = CAMPAIGN_EVENTS[kind];
    const info = activityContext()?.info;
    const identity = info ? `${info.workflowExecution?.runId}:${info.activityId}` : campaignId;
    await queueEvent(eventsQueue, { tenantId, type, workflowId: campaignWorkflowId(tenantId, campaignId), data: { campaignId, ...data } }, sha256(JSON.stringify([tenantId, type, campaignId, identity])));
  }

  return {
    async loadCampaign({ tenantId, campaignId }) {
      return snapshotOf(await getCampaign(tenantEm(orm, tenantId), campaignId));
    },

    async transitionCampaign(input) {
      const { tenantId, campaignId, action, by } = input;
      const em = tenantEm(orm, tenantId);
      const row = await getCampaign(em, campaignId);
      const to = target(action, row, input);
      // The row already there: an earlier attempt of this activity wrote it (its event is queued under the same id).
      const already = to === row.status && action !== 'changeRate' && action !== 'generate';
      const refusal = already ? null : refuseAction(action, row.status);
      if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'conflict');
      const now = new Date();
      if (action === 'submit' && !already) {
        if (!row.variants.length) throw new AppError('validation_failed', 'the campaign has no content yet: generate or write it first', { field: 'variants' });
        if (!row.channels.length) throw new AppError('validation_failed', 'the campaign has no channel', { field: 'channels' });
        await checkWhatsappTemplates(em, tenantId, row, 'submit');
        Object.assign(row, { submittedBy: by, submittedAt: now });
      }
      if (action === 'approve' && !already) await checkWhatsappTemplates(em, tenantId, row, 'approve');
      if (action === 'approve' && !already) Object.assign(row, { approvedBy: by, approvedAt: now, audienceFilter: await audienceSnapshot(em, tenantId, row), changesRequested: null });
      if (action === 'requestChanges' && !already) row.changesRequested = { by, at: now.toISOString(), comment: input.comment ?? '' };
      if (action === 'send' && !row.startedAt) row.startedAt = now;
      if (action === 'changeRate') row.ratePerSecond = { ...row.ratePerSecond, ...(input.ratePerSecond ?? {}) };
      if ((action === 'complete' || action === 'cancel' || action === 'fail') && !row.completedAt) row.completedAt = now;
      if (action === 'fail') row.error = (input.error ?? 'failed').slice(0, 2000);
      row.workflowId ??= campaignWorkflowId(tenantId, campaignId);
      row.status = to;
      await em.flush();
      if (action === 'cancel') await cancelOutstandingRecipients(em, campaignId);

      const base = { by, status: to, name: row.name };
      if (action === 'approve') {
        await emit(tenantId, campaignId, 'approved', base);
        await emit(tenantId, campaignId, 'scheduled', { ...base, sendAt: row.sendAt?.toISOString() ?? null });
      } else if (EVENT_OF[action]) {
        await emit(tenantId, campaignId, EVENT_OF[action]!, { ...base, ...(input.comment ? { comment: input.comment } : {}), ...(input.error ? { error: input.error } : {}) });
      }
      return snapshotOf(row);
    },
  };
}
