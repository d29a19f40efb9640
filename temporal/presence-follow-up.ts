/**
 * The `presenceFollowUp` client: a public-grader lead's run (one per lead), and each tenant's
 * re-audit Schedule (`presence-schedule:{tenant}`): weekly (Monday) or monthly (the 1st) at 06:00
 * in the tenant's zone, paused while re-audits are off, deleted with the setting. Created or
 * brought up to date idempotently (create, and on "already running" update), as the report
 * Schedules are (temporal/reports.ts), at every save and at worker start.
 */
import { type Client, ScheduleOverlapPolicy, type ScheduleSpec, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { presenceFollowUpWorkflowId, presenceScheduleId } from '../core/ids';
import type { PresenceScheduleSettings } from '../core/presence-surface';
import { presenceFollowUpStateQuery, type PresenceAuditInput, type PresenceFollowUpInput, type PresenceFollowUpState } from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';
import { describeScheduleIfAny, scheduleState, syncTenantSchedule } from './schedules';

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
    if (!settings) return syncTenantSchedule(this.client, presenceScheduleId(tenantId), null);
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
    await syncTenantSchedule(this.client, presenceScheduleId(tenantId), { spec: presenceScheduleSpec(settings, timezone), action, enabled: settings.enabled, note });
  }

  async describeSchedule(tenantId: string): Promise<PresenceScheduleView | null> {
    const d = await describeScheduleIfAny(this.client, presenceScheduleId(tenantId));
    return d ? { ...scheduleState(d), lastRunAt: d.info.recentActions.at(-1)?.takenAt.toISOString() ?? null } : null;
  }

  /** Starts a run now (the console's "re-audit now", tests). */
  async triggerSchedule(tenantId: string): Promise<void> {
    await this.client.schedule.getHandle(presenceScheduleId(tenantId)).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  }
}
