/**
 * The `presenceFollowUp` client: a public-grader lead's run (one per lead), and each tenant's
 * re-audit Schedule (`presence-schedule:{tenant}`): weekly (Monday) or monthly (the 1st) at 06:00
 * in the tenant's zone, paused while re-audits are off, deleted with the setting. Created or
 * brought up to date idempotently (create, and on "already running" update), as the report
 * Schedules are (temporal/reports.ts), at every save and at worker start.
 */
import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleSpec, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { presenceFollowUpWorkflowId, presenceScheduleId } from '../core/ids';
import type { PresenceScheduleSettings } from '../core/presence-surface';
import { presenceFollowUpStateQuery, type PresenceAuditInput, type PresenceFollowUpInput, type PresenceFollowUpState } from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';

export const RE_AUDIT_HOUR = 6;

export function presenceScheduleSpec(settings: Pick<PresenceScheduleSettings, 'cadence'>, timezone: string): ScheduleSpec {
  return settings.cadence === 'weekly'
    ? { calendars: [{ dayOfWeek: 'MONDAY', hour: RE_AUDIT_HOUR, minute: 0 }], timezone }
    : { calendars: [{ dayOfMonth: 1, hour: RE_AUDIT_HOUR, minute: 0 }], timezone };
}

export interface PresenceScheduleView {
  scheduleId: string;
  paused: boolean;
  nextRuns: string[];
  lastRunAt: string | null;
}

export class PresenceFollowUpClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** The lead's run: the audit as a child, then the mail. A retried request finds it started. */
  async startLead(tenantId: string, leadId: string, audit: { workflowId: string; input: PresenceAuditInput }): Promise<void> {
    const input: PresenceFollowUpInput = { kind: 'lead', tenantId, leadId, auditWorkflowId: audit.workflowId, audit: audit.input };
    try {
      await this.client.workflow.start('presenceFollowUp', {
        workflowId: presenceFollowUpWorkflowId(tenantId, `lead-${leadId}`),
        taskQueue: this.taskQueue,
        args: [input],
        typedSearchAttributes: searchAttributePairs({ TenantId: tenantId }),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  state(tenantId: string, leadId: string): Promise<PresenceFollowUpState | null> {
    return this.client.workflow.getHandle(presenceFollowUpWorkflowId(tenantId, `lead-${leadId}`)).query(presenceFollowUpStateQuery).catch(() => null);
  }

  /** Creates, updates, pauses (off) or deletes (no setting) the tenant's re-audit Schedule. */
  async syncSchedule(tenantId: string, settings: PresenceScheduleSettings | undefined, timezone: string): Promise<void> {
    const handle = this.client.schedule.getHandle(presenceScheduleId(tenantId));
    if (!settings) {
      await handle.delete().catch((err) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
      return;
    }
    const spec = presenceScheduleSpec(settings, timezone);
    const input: PresenceFollowUpInput = { kind: 'schedule', tenantId };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: 'presenceFollowUp',
      // Temporal appends the scheduled time: grader:{tenant}:scheduled-2027-01-04T06:00:00Z.
      workflowId: presenceFollowUpWorkflowId(tenantId, 'scheduled'),
      taskQueue: this.taskQueue,
      args: [input],
      typedSearchAttributes: searchAttributePairs({ TenantId: tenantId }),
    };
    const note = settings.enabled ? `${settings.cadence} re-audit of ${settings.websiteUrl}` : 're-audits turned off';
    try {
      await this.client.schedule.create({
        scheduleId: handle.scheduleId,
        spec,
        action,
        // A server away over the time still audits within the day; never two at once.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        state: { paused: !settings.enabled, note },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await handle.update((previous) => ({ ...previous, spec, action, state: { ...previous.state, paused: !settings.enabled, note } }));
    }
  }

  async describeSchedule(tenantId: string): Promise<PresenceScheduleView | null> {
    try {
      const d = await this.client.schedule.getHandle(presenceScheduleId(tenantId)).describe();
      return {
        scheduleId: d.scheduleId,
        paused: d.state.paused,
        nextRuns: d.state.paused ? [] : d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
        lastRunAt: d.info.recentActions.at(-1)?.takenAt.toISOString() ?? null,
      };
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return null;
      throw err;
    }
  }

  /** Starts a run now (the console's "re-audit now", tests). */
  async triggerSchedule(tenantId: string): Promise<void> {
    await this.client.schedule.getHandle(presenceScheduleId(tenantId)).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  }
}
