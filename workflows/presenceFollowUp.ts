/**
 * `presenceFollowUp`: an audit someone did not start from the console, and what follows it
 * (ARCHITECTURE "Presence grader: listings, reports and the public page").
 *
 * - `schedule`: started by the tenant's Temporal Schedule (`presence-schedule:{tenant}`), weekly or
 *   monthly. An activity makes the audit's row from the tenant's schedule settings (once per run:
 *   the row is found again by the run's workflow id on a retry), then the audit runs as a child
 *   `presenceAudit`, so it has its own id, history and live progress like any audit.
 * - `lead`: started by the public grader page after it stored the audit's row, the contact and the
 *   lead. The audit runs as a child, then an activity mails the report (once: the lead row is
 *   claimed before sending), or the reason it could not be made.
 */
import { executeChild, setHandler, workflowInfo } from '@temporalio/workflow';
import { ActivityCaller } from './flow/activities';
import { presenceFollowUpStateQuery, type PresenceAuditResult, type PresenceFollowUpInput, type PresenceFollowUpResult, type PresenceFollowUpState } from './messages';
import { setRunAttributes } from './runtime/search-attributes';

export async function presenceFollowUp(input: PresenceFollowUpInput): Promise<PresenceFollowUpResult> {
  setRunAttributes({ TenantId: input.tenantId });
  const acts = new ActivityCaller();
  const state: PresenceFollowUpState = { stage: 'preparing', auditId: input.kind === 'lead' ? input.audit.auditId : null };
  setHandler(presenceFollowUpStateQuery, () => state);

  const audit =
    input.kind === 'lead'
      ? { workflowId: input.auditWorkflowId, input: input.audit }
      : await acts.call('@schedule', 'preparePresenceScheduledAudit', { tenantId: input.tenantId, key: workflowInfo().workflowId });
  if (!audit) {
    // The schedule was turned off or removed between its tick and this run.
    state.stage = 'skipped';
    return { auditId: null, grade: null, overall: null, mailed: false };
  }
  const { workflowId, input: auditInput } = audit;
  state.auditId = auditInput.auditId;
  state.stage = 'auditing';
  const result = await executeChild<(i: typeof auditInput) => Promise<PresenceAuditResult>>('presenceAudit', { workflowId, args: [auditInput] });
  let mailed = false;
  if (input.kind === 'lead') {
    state.stage = 'mailing';
    mailed = (await acts.call('@mail', 'mailPresenceLead', { tenantId: input.tenantId, leadId: input.leadId })).mailed;
  }
  state.stage = 'done';
  return { auditId: auditInput.auditId, grade: result.grade, overall: result.overall, mailed };
}
