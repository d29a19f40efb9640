/** WhatsApp templates of a channel. `em` must be tenant-scoped (tenantEm), except where it says. */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WhatsappTemplateCategory, WhatsappTemplateStatus } from '../../core/campaigns/whatsapp-templates';
import { AppError } from '../../core/errors';
import { WhatsappTemplate } from '../entities';

export const listWhatsappTemplates = (em: EntityManager, channelId: string) =>
  em.find(WhatsappTemplate, { channel: channelId }, { orderBy: { name: 'asc', language: 'asc' } });

export const findWhatsappTemplate = (em: EntityManager, channelId: string, name: string, language: string) => em.findOne(WhatsappTemplate, { channel: channelId, name, language });

export interface TemplateRecord {
  name: string;
  language: string;
  category: WhatsappTemplateCategory;
  body: string;
  parameterCount: number;
  status: WhatsappTemplateStatus;
  rejectedReason?: string | null;
  providerTemplateId?: string | null;
}

export async function createWhatsappTemplate(em: EntityManager, tenantId: string, channelId: string, record: TemplateRecord): Promise<WhatsappTemplate> {
  const row = em.create(WhatsappTemplate, { tenant: tenantId, channel: channelId, ...record, rejectedReason: record.rejectedReason ?? null, providerTemplateId: record.providerTemplateId ?? null });
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw new AppError('conflict', 'this channel already has a template with this name and language', { field: 'name' });
    throw err;
  }
  return row;
}

/** The business account's templates as Meta lists them: known ones updated, new ones added. */
export async function syncWhatsappTemplates(em: EntityManager, tenantId: string, channelId: string, remote: TemplateRecord[]): Promise<{ updated: number; added: number }> {
  const existing = new Map((await listWhatsappTemplates(em, channelId)).map((row) => [`${row.name}:${row.language}`, row]));
  let updated = 0;
  let added = 0;
  for (const template of remote) {
    const row = existing.get(`${template.name}:${template.language}`);
    if (!row) {
      em.create(WhatsappTemplate, { tenant: tenantId, channel: channelId, ...template, rejectedReason: template.rejectedReason ?? null, providerTemplateId: template.providerTemplateId ?? null });
      added += 1;
      continue;
    }
    const next = { status: template.status, rejectedReason: template.rejectedReason ?? null, providerTemplateId: template.providerTemplateId ?? row.providerTemplateId, category: template.category, body: template.body || row.body, parameterCount: template.body ? template.parameterCount : row.parameterCount };
    if (Object.entries(next).some(([k, v]) => row[k as keyof typeof next] !== v)) {
      em.assign(row, next);
      updated += 1;
    }
  }
  await em.flush();
  return { updated, added };
}

/**
 * Meta's `message_template_status_update` for a channel (the webhook names the template by its id,
 * and by name and language). `em` may be the system one: the channel id scopes it.
 */
export async function applyWhatsappTemplateStatus(
  em: EntityManager,
  channelId: string,
  update: { providerTemplateId?: string; name?: string; language?: string; status: WhatsappTemplateStatus; reason?: string | null },
): Promise<boolean> {
  const where = update.providerTemplateId ? { channel: channelId, providerTemplateId: update.providerTemplateId } : { channel: channelId, name: update.name ?? '', language: update.language ?? '' };
  const rejectedReason = update.status === 'REJECTED' ? (update.reason ?? null) : null;
  return (await em.nativeUpdate(WhatsappTemplate, where, { status: update.status, rejectedReason, updatedAt: new Date() })) > 0;
}
