/**
 * One recipient's copy of a campaign message on its channel: URLs become the recipient's tracked
 * links (before personalization, so a link's index is the same for every recipient and the
 * redirect finds its URL again), variables are filled (HTML-escaped in the HTML part), and email
 * gets its unsubscribe footer and List-Unsubscribe headers (RFC 8058 one-click).
 */
import type { CampaignChannel, VariantContent } from '../core/campaigns';
import { personalize, type PersonalizationContact } from '../core/campaigns/personalize';
import type { RichContent } from '../core/messages';
import { linkTargets, trackLinks } from './links';

export interface RenderLinks {
  /** The tracked link to the URL at `index` of linkTargets. */
  linkFor(index: number): string;
  unsubscribeUrl: string;
  /** mailto: alternative for List-Unsubscribe, when the channel has a from address. */
  unsubscribeMailto?: string;
}

export interface Rendered {
  text: string;
  rich: RichContent;
}

/** The message's parts whose URLs are tracked, in a fixed order. */
export function linkParts(content: VariantContent, channel: CampaignChannel): string[] {
  switch (channel) {
    case 'sms': return content.sms ? [content.sms.text] : [];
    case 'whatsapp': return content.whatsapp ? [content.whatsapp.text, ...(content.whatsapp.template?.parameters ?? [])] : [];
    case 'email': return content.email ? [content.email.html, content.email.text] : [];
    case 'messenger': return content.messenger ? [content.messenger.text] : [];
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function escapedContact(c: PersonalizationContact): PersonalizationContact {
  const esc = (v: string | null | undefined) => (typeof v === 'string' ? escapeHtml(v) : v);
  const attributes = Object.fromEntries(Object.entries(c.attributes ?? {}).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
  return { firstName: esc(c.firstName), lastName: esc(c.lastName), name: esc(c.name), email: esc(c.email), phone: esc(c.phone), attributes };
}

/** null when the variant has no content for the channel. */
export function renderForRecipient(content: VariantContent, channel: CampaignChannel, contact: PersonalizationContact, campaignName: string, links: RenderLinks): Rendered | null {
  const targets = linkTargets(linkParts(content, channel));
  const vars = { contact, campaign: { name: campaignName } };
  const fill = (text: string) => personalize(trackLinks(text, targets, links.linkFor), vars);
  switch (channel) {
    case 'sms':
      return content.sms ? { text: fill(content.sms.text), rich: {} } : null;
    case 'whatsapp': {
      const w = content.whatsapp;
      if (!w) return null;
      return { text: fill(w.text), rich: w.template ? { template: { name: w.template.name, language: w.template.language, parameters: w.template.parameters.map(fill) } } : {} };
    }
    case 'messenger':
      return content.messenger ? { text: fill(content.messenger.text), rich: content.messenger.tag ? { tag: content.messenger.tag } : {} } : null;
    case 'email': {
      const e = content.email;
      if (!e) return null;
      const htmlVars = { contact: escapedContact(contact), campaign: { name: escapeHtml(campaignName) } };
      const html = personalize(trackLinks(e.html, targets, links.linkFor), htmlVars);
      const footer = `<p style="font-size:12px;color:#666"><a href="${escapeHtml(links.unsubscribeUrl)}">Unsubscribe</a></p>`;
      const listUnsubscribe = [`<${links.unsubscribeUrl}>`, ...(links.unsubscribeMailto ? [`<${links.unsubscribeMailto}>`] : [])].join(', ');
      return {
        text: `${fill(e.text)}\n\nUnsubscribe: ${links.unsubscribeUrl}`,
        rich: {
          email: {
            subject: personalize(e.subject, vars),
            ...(e.preheader ? { preheader: personalize(e.preheader, vars) } : {}),
            html: /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : html + footer,
            headers: { 'List-Unsubscribe': listUnsubscribe, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          },
        },
      };
    }
  }
}
