/**
 * `campaign`: one campaign from its draft to the last message. Started when the campaign is
 * created; every user action (generate, submit, approve, request changes, pause, resume, cancel,
 * change rate) is an update answered with the new state. Once approved it waits for the send time
 * (a durable timer), then materializes the audience and sends in pages (workflows/runtime/
 * campaign-sending.ts), continuing as new to keep each run's history bounded.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { CAMPAIGN_APPROVER_ROLES, type CampaignBrief, type CampaignChannel, type CampaignVariant } from '../core/campaigns';

type GenerateArgs = { brief?: CampaignBrief; channelsOnly?: CampaignChannel[] };
import {
  approveUpdate,
  campaignCancelUpdate,
  campaignProgressQuery,
  changeRateUpdate,
  generateUpdate,
  pauseUpdate,
  requestChangesUpdate,
  resumeUpdate,
  submitUpdate,
  type CampaignInput,
  type CampaignState,
} from './messages';
import { CampaignSession } from './runtime/campaign-session';
import { sendingStep } from './runtime/campaign-sending';
import { setRunAttributes } from './runtime/search-attributes';

/** Events per run before continuing as new (Temporal warns at 10,240). */
export const CAMPAIGN_HISTORY_LIMIT = 2000;

const byOf = (args: { by?: unknown } | undefined) => {
  if (!args || typeof args.by !== 'string' || !args.by) throw new Error('by is required');
};

export async function campaign(input: CampaignInput): Promise<CampaignState> {
  if (!input.carried) setRunAttributes({ TenantId: input.tenantId });
  const s = new CampaignSession(input);
  const started = s.start();

  setHandler(campaignProgressQuery, () => s.state());
  const generate = (args: GenerateArgs): Promise<{ variants: CampaignVariant[] }> => started.then(() => s.generate(args ?? {}));
  setHandler<{ variants: CampaignVariant[] }, [GenerateArgs], typeof generateUpdate>(generateUpdate, generate, { validator: () => s.refuse('generate') });
  setHandler(submitUpdate, (args) => started.then(() => s.act('submit', { by: args.by })), { validator: (a) => (byOf(a), s.refuse('submit')) });
  setHandler(approveUpdate, (args) => started.then(() => s.act('approve', { by: args.by })), {
    validator: (a) => {
      byOf(a);
      if (!(CAMPAIGN_APPROVER_ROLES as readonly string[]).includes(a.role)) throw new Error('only an admin or an approver may approve a campaign');
      s.refuse('approve');
    },
  });
  setHandler(requestChangesUpdate, (args) => started.then(() => s.act('requestChanges', { by: args.by, comment: args.comment })), {
    validator: (a) => {
      byOf(a);
      if (typeof a.comment !== 'string' || !a.comment.trim()) throw new Error('comment is required');
      s.refuse('requestChanges');
    },
  });
  setHandler(pauseUpdate, (args) => started.then(() => s.act('pause', { by: args.by })), { validator: (a) => (byOf(a), s.refuse('pause')) });
  setHandler(resumeUpdate, (args) => started.then(() => s.act('resume', { by: args.by })), { validator: (a) => (byOf(a), s.refuse('resume')) });
  setHandler(campaignCancelUpdate, (args) => started.then(() => s.act('cancel', { by: args.by })), { validator: (a) => (byOf(a), s.refuse('cancel')) });
  setHandler(changeRateUpdate, (args) => started.then(() => s.act('changeRate', { by: args.by, ratePerSecond: args.ratePerSecond })), {
    validator: (a) => {
      byOf(a);
      const rates = Object.values(a.ratePerSecond ?? {});
      if (!rates.length || rates.some((r) => typeof r !== 'number' || !Number.isFinite(r) || r < 0)) throw new Error('ratePerSecond: a number ≥ 0 per channel (0 = unlimited)');
      s.refuse('changeRate');
    },
  });

  await started;
  while (!s.final) {
    const generation = s.generation;
    if (s.status === 'scheduled') {
      const due = s.sendAt ? Date.parse(s.sendAt) - Date.now() : 0;
      if (due > 0) await condition(() => s.generation !== generation, due);
      else await s.step('send');
    } else if (s.status === 'sending') {
      try {
        await sendingStep(s);
      } catch (err) {
        // An activity that exhausted its attempts: the campaign stops with the reason; recipients keep their state.
        const cause = (err as Error).cause;
        await s.step('fail', { by: 'system', error: cause instanceof Error ? cause.message : (err as Error).message });
      }
    } else await condition(() => s.generation !== generation);

    const info = workflowInfo();
    if (!s.final && (info.continueAsNewSuggested || info.historyLength > CAMPAIGN_HISTORY_LIMIT)) {
      await condition(() => allHandlersFinished() && s.idle);
      await continueAsNew<typeof campaign>({ tenantId: input.tenantId, campaignId: input.campaignId, carried: s.carry() });
    }
  }
  await condition(() => allHandlersFinished() && s.idle);
  return s.state();
}
