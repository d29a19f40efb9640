/** The `presenceFollowUp` workflow's activities (activities/presence-surface/): signatures shared with the workflow. */
import type { PresenceAuditInput } from '../../workflows/messages';

export interface PresenceSurfaceActivities {
  /** The audit row of one scheduled run (made once per run key), or null when the tenant's schedule is off or gone. */
  preparePresenceScheduledAudit(input: { tenantId: string; key: string }): Promise<{ workflowId: string; input: PresenceAuditInput } | null>;
  /** Mails a public-grader lead its report (or why there is none), once; `mailed` false when no mail server is configured or it was mailed before. */
  mailPresenceLead(input: { tenantId: string; leadId: string }): Promise<{ mailed: boolean }>;
}
