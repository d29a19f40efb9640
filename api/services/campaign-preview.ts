/**
 * A campaign variant as one contact would get it: every channel's text personalized with the
 * contact's values (core/campaigns/personalize.ts, as the sender does), SMS sized in segments, and
 * the variables this contact has no value for. Without a contact every variable takes its fallback.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignPreview } from '../../core/api/campaigns';
import { personalizationVariables, personalize, type PersonalizationContact, type PersonalizationVars } from '../../core/campaigns/personalize';
import { smsSegments } from '../../core/campaigns/sms';
import { AppError } from '../../core/errors';
import { Contact, type Campaign } from '../../db/entities';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** The contact's values made safe to place in HTML: a name is text, never markup. */
function htmlValues(contact: PersonalizationContact): PersonalizationContact {
  const text = (v: string | null | undefined) => (typeof v === 'string' ? escapeHtml(v) : v);
  const attributes = Object.fromEntries(Object.entries(contact.attributes ?? {}).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
  return { firstName: text(contact.firstName), lastName: text(contact.lastName), name: text(contact.name), email: text(contact.email), phone: text(contact.phone), attributes };
}

export async function previewCampaign(em: EntityManager, campaign: Campaign, opts: { contactId?: string; variant: string }): Promise<CampaignPreview> {
  const variant = (campaign.variants ?? []).find((v) => v.id === opts.variant);
  if (!variant) throw new AppError('not_found', `the campaign has no variant ${opts.variant}`, { field: 'variant' });
  const found = opts.contactId ? await em.findOne(Contact, { id: opts.contactId }) : null;
  if (opts.contactId && !found) throw new AppError('not_found', 'contact not found', { field: 'contactId' });
  const contact: PersonalizationContact = found
    ? { firstName: found.firstName, lastName: found.lastName, name: found.name, email: found.email, phone: found.phone, attributes: found.attributes }
    : {};
  const vars: PersonalizationVars = { contact, campaign: { name: campaign.name } };
  const html: PersonalizationVars = { contact: htmlValues(contact), campaign: vars.campaign };
  const fill = (text: string) => personalize(text, vars);

  const content = variant.content;
  const channels: CampaignPreview['channels'] = {};
  const texts: string[] = [];
  for (const channel of campaign.channels) {
    if (channel === 'sms' && content.sms) {
      const text = fill(content.sms.text);
      const size = smsSegments(text);
      channels.sms = { text, encoding: size.encoding, segments: size.segments, characters: size.characters };
      texts.push(content.sms.text);
    } else if (channel === 'whatsapp' && content.whatsapp) {
      const { text, template } = content.whatsapp;
      channels.whatsapp = { text: fill(text), ...(template && { template: { ...template, parameters: template.parameters.map(fill) } }) };
      texts.push(text, ...(template?.parameters ?? []));
    } else if (channel === 'email' && content.email) {
      const email = content.email;
      channels.email = { subject: fill(email.subject), preheader: fill(email.preheader ?? ''), html: personalize(email.html, html), text: fill(email.text) };
      texts.push(email.subject, email.preheader ?? '', email.html, email.text);
    } else if (channel === 'messenger' && content.messenger) {
      channels.messenger = { text: fill(content.messenger.text), ...(content.messenger.tag && { tag: content.messenger.tag }) };
      texts.push(content.messenger.text);
    }
  }
  const video = content.video && (content.video.renderId
    ? { renderId: content.video.renderId, personalized: false }
    : { script: fill(content.video.script!), personalized: personalizationVariables(content.video.script!).some((path) => path.startsWith('contact.')) });
  if (content.video?.script) texts.push(content.video.script);
  // A variable is missing when this contact gives it no value (its fallback, if any, is used).
  const paths = [...new Set(texts.flatMap(personalizationVariables))];
  const missing = paths.filter((path) => fill(`{{${path}}}`) === '');
  return { variant: variant.id, contact: found ? { id: found.id, name: found.name ?? ([found.firstName, found.lastName].filter(Boolean).join(' ') || null) } : null, missing, channels, ...(video && { video }) };
}
