/** Configured channels. `em` must be tenant-scoped (tenantEm) except where a function says otherwise. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelType } from '../../core/channels';
import { Channel } from '../entities';

export interface ChannelInput {
  type: ChannelType;
  name: string;
  flowId: string | null;
  credentialsEncrypted: string | null;
  credentialFields: string[];
  settings: Record<string, unknown>;
}

export async function createChannel(em: EntityManager, tenantId: string, input: ChannelInput): Promise<Channel> {
  const { flowId, ...rest } = input;
  const channel = em.create(Channel, { tenant: tenantId, flow: flowId, ...rest });
  await em.flush();
  return channel;
}

export const listChannels = (em: EntityManager) => em.find(Channel, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });

/** With `credentialsEncrypted` (lazy) loaded when asked for. */
export const getChannel = (em: EntityManager, id: string, opts: { credentials?: boolean } = {}) =>
  em.findOne(Channel, { id }, opts.credentials ? { populate: ['credentialsEncrypted'] } : {});

export async function updateChannel(em: EntityManager, channel: Channel, patch: Partial<ChannelInput>): Promise<Channel> {
  const { flowId, ...rest } = patch;
  em.assign(channel, { ...rest, ...(flowId !== undefined ? { flow: flowId } : {}) });
  await em.flush();
  return channel;
}

export async function deleteChannel(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeDelete(Channel, { id })) > 0;
}

/** Webhooks name the channel, not the tenant: an unscoped lookup by id (the id is a random UUID). */
export const channelForWebhook = (systemEm: EntityManager, id: string) =>
  systemEm.findOne(Channel, { id }, { filters: { tenant: false }, populate: ['credentialsEncrypted'] });
