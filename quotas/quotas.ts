/**
 * What every enforcement point asks: may this tenant take a message now, call a model, send
 * campaign messages today, store these bytes — and the usage the console draws. Counters live in
 * Redis (buckets.ts), shared by every process; limits and kept usage in PostgreSQL (store.ts).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import { periodEnd, periodKey, QUOTA_INFO, QUOTAS, quotaLevel, type PeriodQuota, type QuotaLevel, type QuotaName, type QuotaRefusal } from '../core/quotas';
import { addToPeriod, bucketKey, counterKey, DIRTY_SET, readCounter, takeTokens } from './buckets';
import { quotaStore, type QuotaStore } from './store';
import { quotaRefusals } from '../metrics';

/** A counter outlives its period by this much, so the worker's last flush of it still finds it. */
const PERIOD_GRACE_SECONDS = 3 * 86_400;

export interface QuotaUsage {
  quota: QuotaName;
  label: string;
  unit: string;
  used: number;
  /** null: unlimited. */
  limit: number | null;
  level: QuotaLevel;
  /** When the period starts over (or the bucket is full again); null for storage. */
  resetsAt: string | null;
}

/** The 429 (or 413 for storage) naming the quota, with Retry-After's seconds in its details. */
export function quotaError(refusal: QuotaRefusal): AppError {
  const what = QUOTA_INFO[refusal.quota].label.toLowerCase();
  if (refusal.quota === 'storage_bytes') {
    return new AppError('payload_too_large', `storage quota reached: ${refusal.used} of ${refusal.limit} bytes are in use; delete documents or ask the operator to raise the limit`, {
      field: 'file',
      details: { quota: refusal.quota, limit: refusal.limit, used: refusal.used },
    });
  }
  return new AppError('quota_exceeded', `quota ${refusal.quota} reached (${what}: ${refusal.used} of ${refusal.limit}): try again in ${refusal.retryAfterSeconds} s`, { details: refusal });
}

export const storageMarker = (tenantId: string) => `quota:storage:${tenantId}`;

export class Quotas {
  readonly store: QuotaStore;

  constructor(private readonly redis: Redis, orm: MikroORM, config: Config) {
    this.store = quotaStore(orm, config);
  }

  limits(tenantId: string) {
    return this.store.limits(tenantId);
  }

  /** One contact message against the messages-per-minute bucket; the refusal says when a token is back. */
  async takeMessage(tenantId: string): Promise<QuotaRefusal | null> {
    const limit = (await this.limits(tenantId)).messages_per_minute;
    if (limit <= 0) return null;
    const taken = await takeTokens(this.redis, bucketKey(tenantId), limit);
    if (taken.allowed) return null;
    quotaRefusals.inc({ quota: 'messages_per_minute' });
    return { quota: 'messages_per_minute', limit, used: limit - Math.floor(taken.tokens), retryAfterSeconds: Math.max(1, Math.ceil(taken.waitMs / 1000)) };
  }

  /** Throws the 429 when the bucket is empty. */
  async enforceMessage(tenantId: string): Promise<void> {
    const refusal = await this.takeMessage(tenantId);
    if (refusal) throw quotaError(refusal);
  }

  private period(tenantId: string, quota: PeriodQuota, amount: number, limit: number, mode: 'add' | 'reserve') {
    const now = new Date();
    const period = periodKey(quota, now);
    const end = periodEnd(quota, now)!;
    return addToPeriod(this.redis, counterKey(tenantId, quota, period), {
      amount,
      limit,
      mode,
      ttlSeconds: Math.ceil((end.getTime() - now.getTime()) / 1000) + PERIOD_GRACE_SECONDS,
      seed: () => this.store.storedUsage(tenantId, quota, period),
    });
  }

  /** Null while the month's LLM tokens are under the limit; else the refusal (the caller answers offline). */
  async llmRefusal(tenantId: string): Promise<QuotaRefusal | null> {
    const limit = (await this.limits(tenantId)).llm_tokens_per_month;
    if (limit <= 0) return null;
    const { used } = await this.period(tenantId, 'llm_tokens_per_month', 0, limit, 'add');
    if (used < limit) return null;
    quotaRefusals.inc({ quota: 'llm_tokens_per_month' });
    return { quota: 'llm_tokens_per_month', limit, used, retryAfterSeconds: secondsUntil(periodEnd('llm_tokens_per_month')!) };
  }

  /** Counts tokens a model call used (after it answered: a call is never cut short). */
  async countLlmTokens(tenantId: string, tokens: number): Promise<void> {
    if (tokens > 0) await this.period(tenantId, 'llm_tokens_per_month', Math.round(tokens), 0, 'add');
  }

  /** Up to `wanted` of today's campaign sends; 0 with the time the day ends when none are left. */
  async reserveCampaignSends(tenantId: string, wanted: number): Promise<{ granted: number; resetsAt: Date }> {
    const resetsAt = periodEnd('campaign_sends_per_day')!;
    const limit = (await this.limits(tenantId)).campaign_sends_per_day;
    // Counted when unlimited too (limit 0 grants everything): the usage page shows the day's sends.
    if (wanted <= 0) return { granted: wanted, resetsAt };
    const { granted } = await this.period(tenantId, 'campaign_sends_per_day', wanted, limit, 'reserve');
    if (granted === 0) quotaRefusals.inc({ quota: 'campaign_sends_per_day' });
    return { granted, resetsAt };
  }

  /** Gives back reserved sends that did not go out (consent, quiet hours, a stopped page). */
  async returnCampaignSends(tenantId: string, unused: number): Promise<void> {
    if (unused > 0) await this.period(tenantId, 'campaign_sends_per_day', -unused, 0, 'add');
  }

  /** Throws 413 naming the quota when `bytes` more would pass the tenant's storage limit. */
  async enforceStorage(tenantId: string, bytes: number): Promise<void> {
    const limit = (await this.limits(tenantId)).storage_bytes;
    if (limit <= 0) return;
    const used = await this.store.storedBytes(tenantId);
    if (used + bytes > limit) {
      quotaRefusals.inc({ quota: 'storage_bytes' });
      throw quotaError({ quota: 'storage_bytes', limit, used, retryAfterSeconds: 0 });
    }
    // The worker's next flush checks the 80 %/100 % notices (best effort: Redis away only delays them).
    await this.redis.sadd(DIRTY_SET, storageMarker(tenantId)).catch(() => undefined);
  }

  async usage(tenantId: string): Promise<QuotaUsage[]> {
    const limits = await this.limits(tenantId);
    const now = new Date();
    const used = async (quota: QuotaName): Promise<{ used: number; resetsAt: string | null }> => {
      if (quota === 'storage_bytes') return { used: await this.store.storedBytes(tenantId), resetsAt: null };
      if (quota === 'messages_per_minute') {
        const cap = limits.messages_per_minute;
        if (cap <= 0) return { used: 0, resetsAt: null };
        const { tokens } = await takeTokens(this.redis, bucketKey(tenantId), cap, 0);
        const spent = Math.max(0, cap - tokens);
        return { used: Math.ceil(spent), resetsAt: new Date(now.getTime() + Math.ceil((spent / cap) * 60_000)).toISOString() };
      }
      const period = periodKey(quota, now);
      const counted = await readCounter(this.redis, counterKey(tenantId, quota, period));
      return { used: counted ?? (await this.store.storedUsage(tenantId, quota, period)), resetsAt: periodEnd(quota, now)!.toISOString() };
    };
    return Promise.all(
      QUOTAS.map(async (quota) => {
        const u = await used(quota);
        const limit = limits[quota];
        return { quota, label: QUOTA_INFO[quota].label, unit: QUOTA_INFO[quota].unit, used: u.used, limit: limit > 0 ? limit : null, level: quotaLevel(u.used, limit), resetsAt: u.resetsAt };
      }),
    );
  }
}

const secondsUntil = (at: Date) => Math.max(1, Math.ceil((at.getTime() - Date.now()) / 1000));
