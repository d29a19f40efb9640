/**
 * Activities of `presenceFollowUp`: a scheduled run's audit row from the tenant's schedule
 * settings, and the public grader's report mail (the platform mailer, once per lead).
 */
import { ApplicationFailure } from '@temporalio/common';
import { Contact } from '../../db/entities';
import { systemEm, tenantEm } from '../../db/orm';
import { tenantById } from '../../db/repos';
import { auditByCreator, claimLeadMail, finishLead, getLead } from '../../db/repos/presence-surface';
import { presenceStore } from '../../presence/store';
import { reportViewOf } from '../../core/presence-surface';
import { esc, reportHtml, reportText } from '../../webhooks/presence-report';
import { systemMailer } from '../../webhooks/mailer';
import type { ActivityDeps } from '../deps';
import type { PresenceSurfaceActivities } from './types';

export function presenceSurfaceActivities(deps: ActivityDeps): PresenceSurfaceActivities {
  const store = presenceStore(deps.orm);
  return {
    async preparePresenceScheduledAudit({ tenantId, key }) {
      const tenant = await tenantById(systemEm(deps.orm), tenantId);
      const schedule = tenant?.settings.presenceSchedule;
      if (!schedule?.enabled) return null;
      const createdBy = `schedule:${key}`;
      const existing = await auditByCreator(tenantEm(deps.orm, tenantId), createdBy);
      const row = existing ? await store.get(tenantId, existing) : await store.insert({ tenantId, url: schedule.websiteUrl, profiles: schedule.profiles ?? {}, brandVoiceId: null, createdBy });
      if (!row) throw ApplicationFailure.nonRetryable('the scheduled audit row disappeared', 'not_found');
      return { workflowId: row.workflowId, input: { tenantId, auditId: row.id, url: row.url, profiles: row.profiles, brandVoiceId: null } };
    },

    async mailPresenceLead({ tenantId, leadId }) {
      const em = tenantEm(deps.orm, tenantId);
      const lead = await getLead(em, leadId);
      if (!lead || lead.status === 'mailed' || lead.status === 'failed') return { mailed: false };
      const mailer = systemMailer(deps.config);
      if (!mailer) {
        await finishLead(em, leadId, 'failed', 'no mail server is configured (SMTP_URL)');
        return { mailed: false };
      }
      // A retry after a crash mid-send finds the lead `mailing` and sends again: at most once more, never per retry.
      if (lead.status === 'auditing' && !(await claimLeadMail(em, leadId))) return { mailed: false };
      const contact = lead.contactId ? await em.findOne(Contact, { id: lead.contactId }) : null;
      if (!contact?.email) {
        await finishLead(em, leadId, 'failed', 'the contact has no email address any more');
        return { mailed: false };
      }
      const tenant = await tenantById(systemEm(deps.orm), tenantId);
      const row = await store.get(tenantId, lead.auditId);
      const from = tenant?.name ?? 'Switchboard';
      const footer = `You asked for this report on the website grader of ${from}.`;
      if (row?.status === 'completed' && row.report) {
        const view = reportViewOf(row.report, { businessName: null });
        await mailer({ to: contact.email, subject: `Your website grade: ${view.grade} (${Math.round(view.score)}/100) — ${lead.siteHost}`, html: reportHtml(view, { footer: esc(footer) }), text: `${reportText(view)}\n\n${footer}` });
        await finishLead(em, leadId, 'mailed', null);
        return { mailed: true };
      }
      const why = row?.error ?? 'the audit did not finish';
      await mailer({ to: contact.email, subject: `We could not grade ${lead.siteHost}`, text: `We could not finish the audit of ${lead.siteHost}: ${why}\n\nCheck that the address is right and the site is online, then try again.\n\n${footer}` });
      await finishLead(em, leadId, 'mailed', `audit failed: ${why}`);
      return { mailed: true };
    },
  };
}
