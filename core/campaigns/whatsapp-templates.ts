/**
 * WhatsApp message templates: what Meta accepts (lower-case names, numbered `{{1}}` parameters in
 * order, a body of at most 1024 characters) and the statuses its review gives them.
 */
import { z } from 'zod';
import { text } from '../api/common';

export const WHATSAPP_TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY'] as const;
export type WhatsappTemplateCategory = (typeof WHATSAPP_TEMPLATE_CATEGORIES)[number];

export const WHATSAPP_TEMPLATE_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
export type WhatsappTemplateStatus = (typeof WHATSAPP_TEMPLATE_STATUSES)[number];

/**
 * The status a template has after Meta's event or listed status; null for an event that leaves
 * it as it is (FLAGGED warns of low quality while the template still sends).
 */
export function templateStatusOf(event: string): WhatsappTemplateStatus | null {
  if ((WHATSAPP_TEMPLATE_STATUSES as readonly string[]).includes(event)) return event as WhatsappTemplateStatus;
  if (event === 'REINSTATED') return 'APPROVED';
  if (event === 'IN_APPEAL') return 'PENDING';
  if (event === 'PENDING_DELETION' || event === 'DELETED' || event === 'LIMIT_EXCEEDED' || event === 'ARCHIVED') return 'DISABLED';
  return null;
}

/** Numbers of the `{{n}}` parameters a body uses. */
export const templateParameterNumbers = (body: string) => [...body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));

/** Meta wants the parameters numbered 1..n with none missing; returns the count or an error message. */
export function templateParameterCount(body: string): { count: number } | { error: string } {
  const numbers = [...new Set(templateParameterNumbers(body))].sort((a, b) => a - b);
  const gap = numbers.findIndex((n, i) => n !== i + 1);
  if (gap >= 0) return { error: `parameters must be numbered {{1}} to {{${numbers.length}}} without gaps; {{${numbers[gap]}}} is out of order` };
  if (/^\s*\{\{\s*\d+\s*\}\}|\{\{\s*\d+\s*\}\}\s*$/.test(body)) return { error: 'the body may not start or end with a parameter' };
  return { count: numbers.length };
}

export const whatsappTemplateInput = z
  .object({
    name: text().trim().regex(/^[a-z0-9_]{1,512}$/, 'name must be lower-case letters, digits and underscores'),
    language: text().trim().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'language must be a WhatsApp locale such as en or en_US'),
    category: z.enum(WHATSAPP_TEMPLATE_CATEGORIES),
    body: text().trim().min(1, 'body is required').max(1024, 'body takes at most 1024 characters'),
    /** One sample value per parameter: Meta reviews the template with them. */
    examples: z.array(text().trim().min(1).max(200)).max(20).default([]),
  })
  .superRefine((input, ctx) => {
    const counted = templateParameterCount(input.body);
    if ('error' in counted) ctx.addIssue({ code: 'custom', message: counted.error, path: ['body'] });
    else if (counted.count && input.examples.length !== counted.count) {
      ctx.addIssue({ code: 'custom', message: `examples must give one sample per parameter (${counted.count})`, path: ['examples'] });
    }
  });
export type WhatsappTemplateInput = z.infer<typeof whatsappTemplateInput>;

/** A template name Meta accepts, from free text ("Tasting menu – March!" → "tasting_menu_march"). */
export const templateName = (value: string, suffix = '') =>
  `${value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'campaign'}${suffix}`;

/**
 * A message's personalization variables turned into numbered template parameters: the body goes
 * to Meta for review, the parameters (the variables themselves) are filled per recipient at send.
 */
export function templateFromText(text: string): { body: string; parameters: string[] } {
  const parameters: string[] = [];
  // Each occurrence is its own parameter: Meta numbers them in order of appearance.
  const body = text.replace(/\{\{\s*[A-Za-z_][^{}]*\}\}/g, (variable) => {
    parameters.push(variable);
    return `{{${parameters.length}}}`;
  });
  return { body, parameters };
}

/**
 * Why a campaign may not be submitted or approved with this WhatsApp template (null: it may).
 * Approval needs it APPROVED for the channel (outside the 24-hour window nothing else is
 * delivered); a submit refuses only one that cannot become so during the review (unknown to the
 * channel, rejected, paused, disabled), since Meta may still approve a pending one.
 */
export function templateRefusal(
  action: 'submit' | 'approve',
  template: { name: string; language: string },
  found: { status: WhatsappTemplateStatus; rejectedReason?: string | null } | null,
): string | null {
  const named = `the WhatsApp template ${template.name} (${template.language})`;
  if (!found) return `${named} is not one of the channel's templates: submit it or refresh the list from Meta`;
  if (found.status === 'APPROVED' || (action === 'submit' && found.status === 'PENDING')) return null;
  const why = found.status === 'REJECTED' && found.rejectedReason ? ` (${found.rejectedReason})` : '';
  return `${named} is ${found.status}${why}: only an APPROVED template can be sent outside the 24-hour window`;
}
