/**
 * The channel directory, the channel module's one file that reads the database: stored channels
 * by id for webhooks and sends, as the ChannelConfig adapters see them (credentials decrypted with
 * AES-256-GCM, db/secrets.ts; settings with the adapter's defaults; the webhook URL the provider was
 * given). Cached for a few seconds per process: a webhook burst decrypts once, and an edit (or a
 * deletion) reaches every process soon.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { isChannelType } from '../core/channels';
import { publicUrl, type Config } from '../core/config';
import type { Channel } from '../db/entities';
import { systemEm } from '../db/orm';
import { channelForWebhook } from '../db/repos/channels';
import { secretBoxFromConfig, type SecretBox } from '../db/secrets';
import { adapterFor, type AnyAdapter } from './registry';
import type { ChannelConfig } from './types';
import { BoundedMap } from '../core/bounded-map';

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

export interface LoadedChannel {
  row: Channel;
  adapter: AnyAdapter;
  config: ChannelConfig;
}

const TTL_MS = 5_000;
const MAX_ENTRIES = 5_000;

export class ChannelLoader {
  private readonly cache = new BoundedMap<string, { value: LoadedChannel | null; until: number }>(MAX_ENTRIES);

  constructor(
    private readonly orm: MikroORM,
    private readonly config: Config,
  ) {}

  /** After an edit in this process: the next read sees it at once. */
  invalidate(id: string): void {
    this.cache.delete(id);
  }

  async get(id: string): Promise<LoadedChannel | null> {
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return hit.value;
    const row = await channelForWebhook(systemEm(this.orm), id);
    let value: LoadedChannel | null = null;
    if (row && isChannelType(row.type)) {
      const adapter = adapterFor(row.type, this.config);
      value = { row, adapter, config: toChannelConfig(row, adapter, this.config) };
    }
    this.cache.set(id, { value, until: Date.now() + TTL_MS });
    return value;
  }
}

const loaders = new WeakMap<MikroORM, ChannelLoader>();

/** One loader per ORM (process), shared by the webhook route, the inbound processor and sends. */
export function channelLoader(orm: MikroORM, config: Config): ChannelLoader {
  let loader = loaders.get(orm);
  if (!loader) loaders.set(orm, (loader = new ChannelLoader(orm, config)));
  return loader;
}
