/**
 * `/v1/presence/audits`: request and response shapes of the presence grader (api/routes/presence.ts).
 * An audit is started with the business's website and, optionally, its profile URLs or ids; while it
 * runs its progress comes from the workflow, once done its report from the stored row.
 */
import { z } from 'zod';
import { auditProgress, auditReport, grade, presenceProfiles } from '../presence/types';
import { text } from './common';

/**
 * The website as an owner types it: `example.com` means `https://example.com/`. Only http(s), no
 * credentials in the URL, at most 2000 characters.
 */
export const websiteUrl = text()
  .trim()
  .min(1, 'url is required')
  .max(2000, 'url is longer than 2000 characters')
  .transform((value, ctx) => {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'url must be a website address such as https://example.com' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'url must be an http(s) address' });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'url must not carry a user name or password' });
    else if (!url.hostname.includes('.') && !/^\[.*\]$/.test(url.hostname) && url.hostname !== 'localhost') ctx.addIssue({ code: 'custom', message: 'url must name a host such as example.com' });
    url.hash = '';
    return url.toString();
  });

export const createAuditBody = z.object({
  url: websiteUrl,
  profiles: presenceProfiles.default({}),
  /** Rewrite the recommendations in this brand voice with the model (plain text when no model is configured, and the report says so). */
  brandVoiceId: z.uuid({ message: 'brandVoiceId must be a UUID' }).nullish(),
});
export type CreateAuditBody = z.infer<typeof createAuditBody>;

export const AUDIT_STATUSES = ['running', 'completed', 'failed'] as const;

/** One audit in a list: enough for a history of grades over time. */
export const auditSummary = z
  .object({
    id: z.string(),
    url: z.string(),
    status: z.enum(AUDIT_STATUSES),
    stage: z.string(),
    overall: z.number().int().nullable(),
    grade: grade.nullable(),
    workflowId: z.string(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'PresenceAuditSummary' });
export type AuditSummary = z.infer<typeof auditSummary>;

/** An audit: its input, live progress while it runs (from the workflow), its report once done. */
export const auditView = auditSummary
  .extend({
    profiles: presenceProfiles,
    brandVoiceId: z.string().nullable(),
    progress: auditProgress.nullable(),
    report: auditReport.nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'PresenceAudit' });
export type AuditView = z.infer<typeof auditView>;

export const auditListQuery = z.object({
  /** Only audits of this website (the history of one site's grade). */
  url: websiteUrl.optional(),
  status: z.enum(AUDIT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const auditList = z.object({ items: z.array(auditSummary), nextCursor: z.string().nullable() });
