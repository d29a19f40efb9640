/** The `presenceFollowUp` workflow's activities (activities/presence-surface/): signatures shared with the workflow. */
import type { PresenceProfiles } from '../../core/presence/types';

/** The child audit's input (workflows/messages.ts PresenceAuditInput: activities import no workflow code). */
export interface ScheduledAuditInput {
  tenantId: string;
  auditId: string;
  url: string;
  profiles: PresenceProfiles;
  brandVoiceId: string | null;
}

export interface PresenceSurfaceActivities {
  /** The audit row of one scheduled run (made once per run key), or null when the tenant's schedule is off or gone. */
  preparePresenceScheduledAudit(input: { tenantId: string; key: string }): Promise<{ workflowId: string; input: ScheduledAuditInput } | null>;
  /** Mails a public-grader lead its report (or why there is none), once; `mailed` false when no mail server is configured or it was mailed before. */
  mailPresenceLead(input: { tenantId: string; leadId: string }): Promise<{ mailed: boolean }>;
}
