/** Conversations and contacts. `em` must be tenant-scoped (tenantEm). */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Channel } from '../../core/messages';
import { conversationWorkflowId } from '../../core/ids';
import { Contact, Conversation } from '../entities';
import type { ConversationStatus } from '../../core/conversations';
import { keysetAfter, pageLimit, toPage, type Page } from './cursor';

export interface NewConversation {
  /** Generated when omitted; the workflow id is derived from it. */
  id?: string;
  flowId: string;
  flowVersion: number;
  channel: Channel;
  contactId?: string | null;
  variables?: Record<string, unknown>;
  /** The channel row and thread it came in on, when known at creation (a phone call's number). */
  channelId?: string | null;
  threadKey?: string | null;
}

/**
 * Insert the row before starting the workflow: messages reference it. One INSERT, not a flush: a
 * flush wraps its statements in a transaction (three round trips) and computes change sets, and
 * this runs at every conversation's start. The returned entity is not managed.
 */
export async function createConversation(em: EntityManager, tenantId: string, input: NewConversation): Promise<Conversation> {
  const id = input.id ?? randomUUID();
  const conversation = em.create(
    Conversation,
    {
      id,
      tenant: tenantId,
      flow: input.flowId,
      flowVersion: input.flowVersion,
      channel: input.channel,
      contact: input.contactId ?? null,
      workflowId: conversationWorkflowId(tenantId, id),
      variables: input.variables ?? {},
      ...(input.channelId ? { channelId: input.channelId } : {}),
      ...(input.threadKey ? { threadKey: input.threadKey } : {}),
    },
    { persist: false },
  );
  await em.insert(conversation);
  return conversation;
}

export const getConversation = (em: EntityManager, id: string) => em.findOne(Conversation, { id });

export interface ConversationPatch {
  status?: ConversationStatus;
  variables?: Record<string, unknown>;
  currentNodeId?: string | null;
  lastMessageAt?: Date;
}

/** Returns false when no conversation with that id exists for the scoped tenant. */
export async function patchConversation(em: EntityManager, id: string, patch: ConversationPatch): Promise<boolean> {
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return (await em.count(Conversation, { id })) > 0;
  return (await em.nativeUpdate(Conversation, { id }, { ...set, updatedAt: new Date() })) > 0;
}

/** Most recent activity first; keyset pagination on (lastMessageAt, id). */
export async function listConversations(
  em: EntityManager,
  opts: { status?: ConversationStatus; flowId?: string; limit?: number; cursor?: string } = {},
): Promise<Page<Conversation>> {
  const limit = pageLimit(opts.limit);
  const where: Record<string, unknown> = keysetAfter(opts.cursor, 'lastMessageAt', 'desc');
  if (opts.status) where.status = opts.status;
  if (opts.flowId) where.flow = opts.flowId;
  const rows = await em.find(Conversation, where, { orderBy: { lastMessageAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return toPage(rows, limit, (c) => c.lastMessageAt);
}

/** The contact a channel identity maps to, created on first sight; profile fields fill in when new. */
export async function upsertContact(
  em: EntityManager,
  tenantId: string,
  channel: Channel,
  externalId: string,
  profile: { name?: string; email?: string; phone?: string } = {},
): Promise<Contact> {
  const email = profile.email?.toLowerCase();
  const known = (await em.findOne(Contact, { channel, externalId })) ?? (await sameAddress(em, profile.phone, email));
  if (known) return fillBlanks(em, known, { ...profile, email });
  await em
    .createQueryBuilder(Contact)
    .insert({
      tenant: tenantId, channel, externalId, name: profile.name ?? null, email: email ?? null, phone: profile.phone ?? null,
      messengerPsid: channel === 'messenger' ? externalId : null, attributes: {}, tags: [], createdAt: new Date(),
    })
    .onConflict(['tenant', 'channel', 'externalId'])
    .ignore()
    .execute();
  return fillBlanks(em, await em.findOneOrFail(Contact, { channel, externalId }), { ...profile, email });
}

/**
 * A person who writes on a new channel from a phone or email the tenant already has (an imported
 * contact, or the same number on WhatsApp and SMS) is that contact, so their consent, tags and
 * campaign replies stay in one place. The oldest such contact wins, so every lookup agrees.
 */
const sameAddress = async (em: EntityManager, phone?: string, email?: string): Promise<Contact | null> => {
  const or = [...(phone ? [{ phone }] : []), ...(email ? [{ email }] : [])];
  if (!or.length) return null;
  const [found] = await em.find(Contact, { $or: or }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 1 });
  return found ?? null;
};

async function fillBlanks(em: EntityManager, contact: Contact, profile: { name?: string; email?: string; phone?: string }): Promise<Contact> {
  let changed = false;
  for (const key of ['name', 'email', 'phone'] as const) {
    if (profile[key] && !contact[key]) {
      contact[key] = profile[key];
      changed = true;
    }
  }
  if (changed) await em.flush();
  return contact;
}
