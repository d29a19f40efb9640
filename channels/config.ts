/**
 * A stored channel → the ChannelConfig adapters see: credentials decrypted (AES-256-GCM, db/secrets.ts),
 * settings with the adapter's defaults applied, and the webhook URL the provider was given.
 */
import { publicUrl, type Config } from '../core/config';
import type { Channel } from '../db/entities';
import { secretBoxFromConfig, type SecretBox } from '../db/secrets';
import type { AnyAdapter } from './registry';
import type { ChannelConfig } from './types';

const boxes = new WeakMap<Config, SecretBox>();

export function secretBox(config: Config): SecretBox {
  let box = boxes.get(config);
  if (!box) boxes.set(config, (box = secretBoxFromConfig(config)));
  return box;
}

export const webhookUrl = (config: Config, type: string, id: string) => `${publicUrl(config).replace(/\/$/, '')}/v1/webhooks/${type}/${id}`;

export function decryptCredentials(config: Config, encrypted: string | null | undefined): Record<string, unknown> {
  return encrypted ? (JSON.parse(secretBox(config).decrypt(encrypted)) as Record<string, unknown>) : {};
}

export function toChannelConfig(channel: Channel, adapter: AnyAdapter, config: Config): ChannelConfig {
  const settings = adapter.settingsSchema.safeParse(channel.settings ?? {});
  return {
    id: channel.id,
    tenantId: channel.tenant,
    type: channel.type,
    name: channel.name,
    credentials: decryptCredentials(config, channel.credentialsEncrypted),
    settings: settings.success ? settings.data : (channel.settings ?? {}),
    webhookUrl: webhookUrl(config, channel.type, channel.id),
  };
}
