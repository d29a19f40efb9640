/**
 * State of one `campaign` run. Users' actions (updates) go through one mutex and write the status
 * through `transitionCampaign`; the sending loop (workflows/campaign.ts) runs its pages outside
 * that mutex, so a pause or a cancel is answered at once and takes effect before the next page.
 * Counts come from the recipients table (each page returns them), so they survive restarts and
 * continue-as-new without being added up in the workflow.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { CampaignSnapshot, CampaignTransition } from '../../activities/campaigns/types';
import { FINAL_CAMPAIGN_STATUSES, refuseAction, SKIP_REASONS, type CampaignAction, type CampaignBrief, type CampaignChannel, type CampaignStatus, type CampaignVariant } from '../../core/campaigns';
import type { CampaignCarry, CampaignCounts, CampaignInput, CampaignPhase, CampaignState } from '../messages';
import { ActivityCaller } from '../flow/activities';
import { Mutex } from '../flow/mutex';
import { setRunAttributes } from './search-attributes';

export const emptyCounts = (): CampaignCounts => ({
  targeted: 0,
  materialized: 0,
  sent: 0,
  failed: 0,
  skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as CampaignCounts['skipped'],
  deferred: 0,
  pending: 0,
  held: 0,
  cancelled: 0,
});

type Args = Omit<CampaignTransition, 'tenantId' | 'campaignId' | 'action'>;

export class CampaignSession {
  readonly activities = new ActivityCaller();
  private readonly mutex = new Mutex();
  status: CampaignStatus = 'draft';
  pausedFrom: CampaignStatus | null = null;
  phase: CampaignPhase = 'idle';
  afterContactId: string | null = null;
  abDecideAt: string | null = null;
  abWaitMinutes: number | null = null;
  winnerVariant: string | null = null;
  sendAt: string | null = null;
  ratePerSecond: CampaignCarry['ratePerSecond'] = {};
  counts: CampaignCounts = emptyCounts();
  runs = 1;
  private updatedAt = new Date(0).toISOString();
  /** Bumped by every change a waiting loop must see (status, rate, schedule). */
  generation = 0;

  constructor(private readonly input: CampaignInput) {
    const c = input.carried;
    if (c) {
      Object.assign(this, { status: c.status, pausedFrom: c.pausedFrom, phase: c.phase, afterContactId: c.afterContactId, abDecideAt: c.abDecideAt, winnerVariant: c.winnerVariant, sendAt: c.sendAt, counts: c.counts, ratePerSecond: c.ratePerSecond, runs: c.runs + 1, abWaitMinutes: c.abWaitMinutes });
    }
  }

  get ref() {
    return { tenantId: this.input.tenantId, campaignId: this.input.campaignId };
  }

  get final(): boolean {
    return FINAL_CAMPAIGN_STATUSES.includes(this.status);
  }

  get idle(): boolean {
    return !this.mutex.busy;
  }

  /** Loads the row on the chain's first run; a continued run has it all in its input. */
  async start(): Promise<void> {
    if (this.input.carried) return;
    await this.mutex.run(async () => this.apply(await this.activities.call('@load', 'loadCampaign', this.ref)));
  }

  /** Throws the refusal (the update's validator, and again in its handler): nothing is written for a refused action. */
  refuse(action: CampaignAction): void {
    const reason = refuseAction(action, this.status);
    // An ApplicationFailure, because handlers refuse too (an action queued behind another, such as a
    // cancel behind the run's own completion): any other error there fails the workflow task, which
    // is retried for ever while the caller waits, instead of failing the update.
    if (reason) throw ApplicationFailure.nonRetryable(reason, 'conflict');
  }

  /** A user's action: refused again inside the mutex (an action queued behind another may no longer apply). */
  act(action: CampaignAction, args: Args): Promise<CampaignState> {
    return this.mutex.run(async () => {
      this.refuse(action);
      await this.transition(action, args);
      return this.state();
    });
  }

  /** The workflow's own steps (send, complete, fail): through the same mutex as users' actions. */
  step(action: CampaignAction, args: Args = { by: 'system' }): Promise<void> {
    return this.mutex.run(async () => {
      if (refuseAction(action, this.status)) return;
      await this.transition(action, args);
    });
  }

  /** Generation runs with status `generating` and goes back to where it was; a failure is the update's, never the run's. */
  generate(args: { brief?: CampaignBrief; channelsOnly?: CampaignChannel[] }): Promise<{ variants: CampaignVariant[] }> {
    return this.mutex.run(async () => {
      this.refuse('generate');
      const back = this.status;
      this.setStatus('generating');
      try {
        return await this.activities.call('@generate', 'generateCampaignVariants', { ...this.ref, ...args });
      } finally {
        this.setStatus(back);
      }
    });
  }

  /** The target never shrinks while the audience is read (the filter's count, then the rows). */
  setCounts(counts: CampaignCounts): void {
    this.counts = { ...counts, targeted: Math.max(counts.targeted, this.phase === 'materialize' ? this.counts.targeted : 0) };
    this.touch();
  }

  state(): CampaignState {
    const c = this.counts;
    return {
      status: this.status,
      stage: this.stage(),
      targeted: c.targeted,
      materialized: c.materialized,
      sent: c.sent,
      failed: c.failed,
      skipped: { ...c.skipped },
      deferred: c.deferred,
      pending: c.pending + c.held,
      paused: this.status === 'paused',
      winnerVariant: this.winnerVariant,
      sendAt: this.sendAt,
      updatedAt: this.updatedAt,
    };
  }

  carry(): CampaignCarry {
    const { status, pausedFrom, phase, afterContactId, abDecideAt, abWaitMinutes, winnerVariant, sendAt, counts, ratePerSecond, runs } = this;
    return { status, pausedFrom, phase, afterContactId, abDecideAt, abWaitMinutes, winnerVariant, sendAt, counts, ratePerSecond, runs };
  }

  private stage(): string {
    if (this.status !== 'sending' && this.status !== 'paused') return this.status;
    return this.phase === 'abWait' ? 'waiting for the A/B result' : this.phase === 'materialize' ? 'building the audience' : this.phase === 'send' ? 'sending' : this.phase;
  }

  private async transition(action: CampaignAction, args: Args): Promise<void> {
    const resumeTo = action === 'resume' ? (this.pausedFrom ?? 'scheduled') : undefined;
    const pausedFrom = action === 'pause' ? this.status : this.pausedFrom;
    const snapshot = await this.activities.call(`@${action}`, 'transitionCampaign', { ...this.ref, action, ...args, ...(resumeTo ? { resumeTo } : {}) });
    this.pausedFrom = action === 'resume' ? null : pausedFrom;
    this.apply(snapshot);
  }

  private apply(s: CampaignSnapshot): void {
    this.sendAt = s.sendAt;
    this.ratePerSecond = s.ratePerSecond;
    this.winnerVariant = s.winnerVariant ?? this.winnerVariant;
    this.abWaitMinutes = s.abWaitMinutes;
    this.setStatus(s.status);
  }

  private setStatus(status: CampaignStatus): void {
    if (status !== this.status) setRunAttributes({ Stage: status });
    this.status = status;
    this.touch();
  }

  private touch(): void {
    this.generation++;
    this.updatedAt = new Date(Date.now()).toISOString();
  }

  /** Workflow id of the run (for the events' workflowId). */
  get workflowId(): string {
    return workflowInfo().workflowId;
  }
}
