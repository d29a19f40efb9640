import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { WhatsappTemplateCategory, WhatsappTemplateStatus } from '../../core/campaigns/whatsapp-templates';
import { Channel } from './channel';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/**
 * A WhatsApp message template submitted to Meta for a channel's business account. Outside the
 * 24-hour window WhatsApp delivers only an APPROVED template; the status follows Meta's
 * `message_template_status_update` webhook and a refresh from the Graph API.
 */
export const WhatsappTemplate = defineEntity({
  name: 'WhatsappTemplate',
  tableName: 'whatsapp_templates',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    channel: p.manyToOne(Channel).mapToPk().deleteRule('cascade'),
    name: p.string().length(512),
    language: p.string().length(15),
    category: p.string().$type<WhatsappTemplateCategory>(),
    body: p.text(),
    parameterCount: p.integer().default(0),
    status: p.string().$type<WhatsappTemplateStatus>().default('PENDING'),
    rejectedReason: p.text().nullable(),
    providerTemplateId: p.string().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ properties: ['channel', 'name', 'language'] }],
});
export type WhatsappTemplate = InferEntity<typeof WhatsappTemplate>;
