/**
 * Channels by id for webhooks and sends, with credentials decrypted. Cached for a few seconds per
 * process: a webhook burst decrypts once, and an edit (or a deletion) reaches every process soon.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import type { Channel } from '../db/entities';
import { systemEm } from '../db/orm';
import { channelForWebhook } from '../db/repos/channels';
import { toChannelConfig } from './config';
import { adapterFor, hasAdapter, type AnyAdapter } from './registry';
import type { ChannelConfig } from './types';

export interface LoadedChannel {
  row: Channel;
  adapter: AnyAdapter;
  config: ChannelConfig;
}

const TTL_MS = 5_000;
const MAX_ENTRIES = 5_000;

export class ChannelLoader {
  private readonly cache = new Map<string, { value: LoadedChannel | null; until: number }>();

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
    if (row && hasAdapter(row.type)) {
      const adapter = adapterFor(row.type, this.config);
      value = { row, adapter, config: toChannelConfig(row, adapter, this.config) };
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
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
