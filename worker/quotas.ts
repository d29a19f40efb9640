/**
 * The worker's quota upkeep, every QUOTA_FLUSH_SECONDS: the period counters touched since the last
 * run (Redis's `quota:dirty` set) are written to PostgreSQL's quota_usage, so a Redis restart loses
 * at most one interval of counting; then each counter (and each tenant whose storage grew) is held
 * against its limit, and 80 % / 100 % of it sends one notice per period and level: an email to the
 * tenant's admins and a `quota.warning` / `quota.exceeded` event (webhooks). The notice table's
 * primary key makes "once" hold across workers and restarts.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueEvent, subjectJobId } from '../activities/events';
import type { Config } from '../core/config';
import { LEVEL_EVENTS, periodKey, QUOTA_INFO, quotaLevel, type QuotaLevel, type QuotaName } from '../core/quotas';
import { DIRTY_SET, parseCounterKey } from '../quotas/buckets';
import { Quotas, storageMarker } from '../quotas/quotas';
import { systemMailer, type SystemMailer } from '../webhooks/mailer';

const BATCH = 1000;
const CLOSE_WAIT_MS = 5_000;

export interface QuotaUpkeepOptions {
  orm: MikroORM;
  redis: Redis;
  config: Config;
  eventsQueue: Queue;
  /** Defaults to SMTP_URL's mailer; null: notices are events and log lines only. */
  mailer?: SystemMailer | null;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface QuotaNotice {
  tenantId: string;
  quota: QuotaName;
  period: string;
  level: Exclude<QuotaLevel, 'ok'>;
  used: number;
  limit: number;
}

export function quotaNoticeText(n: QuotaNotice): { subject: string; text: string } {
  const info = QUOTA_INFO[n.quota];
  const share = Math.floor((n.used / n.limit) * 100);
  const what = `${info.label}: ${n.used.toLocaleString('en')} of ${n.limit.toLocaleString('en')} ${info.unit} (${share} %)`;
  const consequence: Record<QuotaName, string> = {
    messages_per_minute: 'Messages over the limit are kept and answered with a short notice instead of a turn.',
    llm_tokens_per_month: 'Flows answer with their offline replies (no language model) until the month ends or the limit is raised.',
    campaign_sends_per_day: 'Sending campaigns wait for the next day (UTC) and carry on by themselves.',
    storage_bytes: 'New uploads are refused until files are deleted or the limit is raised.',
  };
  return n.level === 'exceeded'
    ? { subject: `Quota reached: ${info.label}`, text: `Your workspace has used its whole quota for ${n.period}.\n\n${what}\n\n${consequence[n.quota]}\nThe Usage page of the console shows every quota; the platform operator can raise the limit.` }
    : { subject: `Quota at 80 %: ${info.label}`, text: `Your workspace is close to its quota for ${n.period}.\n\n${what}\n\nAt 100 %: ${consequence[n.quota]}\nThe Usage page of the console shows every quota.` };
}

export function startQuotaUpkeep(opts: QuotaUpkeepOptions) {
  const { redis, config } = opts;
  const quotas = new Quotas(redis, opts.orm, config);
  const mailer = opts.mailer === undefined ? systemMailer(config) : opts.mailer;
  const log = opts.log ?? ((message, fields) => console.warn(JSON.stringify({ msg: message, ...fields })));

  async function notify(n: QuotaNotice): Promise<void> {
    // Reaching 100 % first also settles the 80 % notice: one mail says it all.
    if (n.level === 'exceeded') await quotas.store.claimNotice({ ...n, level: 'warning' });
    if (!(await quotas.store.claimNotice(n))) return;
    const type = LEVEL_EVENTS[n.level];
    log('quota notice', { tenantId: n.tenantId, quota: n.quota, period: n.period, level: n.level, used: n.used, limit: n.limit });
    await queueEvent(opts.eventsQueue, { tenantId: n.tenantId, type, workflowId: `quota:${n.tenantId}`, data: { quota: n.quota, period: n.period, used: n.used, limit: n.limit } }, subjectJobId(n.tenantId, type, `${n.quota}:${n.period}`));
    const to = await quotas.store.adminEmails(n.tenantId);
    if (!mailer || !to.length) return;
    try {
      await mailer({ to, ...quotaNoticeText(n) });
    } catch (err) {
      log('quota notice email not sent', { tenantId: n.tenantId, quota: n.quota, error: (err as Error).message });
    }
  }

  /** One tenant's quota against its limit; a failure is logged and the pass goes on with the others. */
  async function check(tenantId: string, quota: QuotaName, period: string, used: () => Promise<number> | number): Promise<void> {
    try {
      const limit = (await quotas.limits(tenantId))[quota];
      const value = await used();
      const level = quotaLevel(value, limit);
      if (level !== 'ok') await notify({ tenantId, quota, period, level, used: value, limit });
    } catch (err) {
      log('quota notice check failed', { tenantId, quota, error: (err as Error).message });
    }
  }

  /** One pass; returns how many counters it wrote. */
  async function flush(): Promise<number> {
    const members = (await redis.spop(DIRTY_SET, BATCH)) as string[];
    if (!members.length) return 0;
    const counters = members.flatMap((key) => {
      const parsed = parseCounterKey(key);
      return parsed ? [{ key, ...parsed }] : [];
    });
    let rows: { tenantId: string; quota: string; period: string; used: number }[] = [];
    try {
      const values = counters.length ? await redis.mget(counters.map((c) => c.key)) : [];
      rows = counters.flatMap((c, i) => (values[i] === null ? [] : [{ tenantId: c.tenantId, quota: c.quota, period: c.period, used: Number(values[i]) }]));
      await quotas.store.saveUsage(rows);
    } catch (err) {
      // Written next time: the keys go back into the set.
      await redis.sadd(DIRTY_SET, ...members).catch(() => undefined);
      throw err;
    }
    for (const r of rows) await check(r.tenantId, r.quota as QuotaName, r.period, () => r.used);
    for (const key of members) {
      const tenantId = key.startsWith(storageMarker('')) ? key.slice(storageMarker('').length) : null;
      if (tenantId) await check(tenantId, 'storage_bytes', periodKey('storage_bytes'), () => quotas.store.storedBytes(tenantId));
    }
    return rows.length;
  }

  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = flush().catch((err) => log('quota flush failed', { error: (err as Error).message }));
  }, config.QUOTA_FLUSH_SECONDS * 1000);
  timer.unref();

  return {
    flush,
    async close() {
      clearInterval(timer);
      // What was counted since the last pass is written before the process goes — unless Redis or
      // PostgreSQL is away (the worker's Redis client waits for ever): then shutdown goes on after CLOSE_WAIT_MS.
      const last = running.then(() => flush()).catch(() => undefined);
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([last, new Promise((done) => (wait = setTimeout(done, CLOSE_WAIT_MS)))]).finally(() => clearTimeout(wait));
    },
  };
}
