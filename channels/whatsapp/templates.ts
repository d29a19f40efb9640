/**
 * WhatsApp message templates on the Graph API: submission for review
 * (`POST /{waba-id}/message_templates`) and the account's list with each status
 * (`GET /{waba-id}/message_templates`, followed page by page). Wire code only.
 */
import { z } from 'zod';
import { templateParameterCount, templateStatusOf, WHATSAPP_TEMPLATE_CATEGORIES, WHATSAPP_TEMPLATE_STATUSES, type WhatsappTemplateInput } from '../../core/campaigns/whatsapp-templates';
import { AppError } from '../../core/errors';
import { graphEnv } from '../meta/common';
import { GraphClient } from '../meta/graph';
import type { AdapterEnv, ChannelConfig } from '../types';
import type { WhatsAppCredentials, WhatsAppSettings } from './index';

export interface RemoteTemplate {
  providerTemplateId: string;
  name: string;
  language: string;
  category: (typeof WHATSAPP_TEMPLATE_CATEGORIES)[number];
  status: (typeof WHATSAPP_TEMPLATE_STATUSES)[number];
  rejectedReason: string | null;
  body: string;
  parameterCount: number;
}

const PAGES = 20;

const listed = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      language: z.string(),
      status: z.string(),
      category: z.string(),
      rejected_reason: z.string().optional(),
      components: z.array(z.object({ type: z.string(), text: z.string().optional() })).default([]),
    }),
  ),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});

function account(channel: ChannelConfig<WhatsAppCredentials, WhatsAppSettings>) {
  const waba = channel.settings.businessAccountId;
  if (!waba) throw new AppError('bad_request', 'the channel has no businessAccountId: set it in the channel settings to manage templates', { field: 'businessAccountId' });
  return waba;
}

const client = (env: AdapterEnv, channel: ChannelConfig<WhatsAppCredentials, WhatsAppSettings>) => new GraphClient(graphEnv(env), channel.credentials.accessToken);

/** Statuses Meta lists that this table does not keep read as the nearest kept one. */
const statusOf = (value: string): RemoteTemplate['status'] => templateStatusOf(value) ?? 'PENDING';

export async function submitWhatsappTemplate(env: AdapterEnv, channel: ChannelConfig<WhatsAppCredentials, WhatsAppSettings>, input: WhatsappTemplateInput) {
  const body = {
    name: input.name,
    language: input.language,
    category: input.category,
    components: [{ type: 'BODY', text: input.body, ...(input.examples.length ? { example: { body_text: [input.examples] } } : {}) }],
  };
  const res = await client(env, channel).call<{ id?: string; status?: string }>('POST', `${account(channel)}/message_templates`, body);
  if (!res.id) throw new AppError('upstream_unavailable', 'the Graph API accepted the template but returned no id');
  return { providerTemplateId: res.id, status: statusOf(res.status ?? 'PENDING') };
}

export async function fetchWhatsappTemplates(env: AdapterEnv, channel: ChannelConfig<WhatsAppCredentials, WhatsAppSettings>): Promise<RemoteTemplate[]> {
  const api = client(env, channel);
  const out: RemoteTemplate[] = [];
  let after: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const query = new URLSearchParams({ fields: 'id,name,language,status,category,rejected_reason,components', limit: '100', ...(after ? { after } : {}) });
    const res = listed.parse(await api.call('GET', `${account(channel)}/message_templates?${query}`));
    for (const t of res.data) {
      if (!(WHATSAPP_TEMPLATE_CATEGORIES as readonly string[]).includes(t.category)) continue; // AUTHENTICATION templates are not campaign content
      const text = t.components.find((c) => c.type === 'BODY')?.text ?? '';
      const counted = templateParameterCount(text);
      out.push({
        providerTemplateId: t.id,
        name: t.name,
        language: t.language,
        category: t.category as RemoteTemplate['category'],
        status: statusOf(t.status),
        rejectedReason: t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
        body: text,
        parameterCount: 'count' in counted ? counted.count : 0,
      });
    }
    after = res.paging?.next ? res.paging.cursors?.after : undefined;
    if (!after) break;
  }
  return out;
}
