/**
 * Quotas per tenant: the four names, their units and periods, the period keys and reset times
 * (UTC: one period for every process and every tenant, so a counter key never depends on a
 * timezone lookup), the 80 %/100 % notice levels, and the notice a contact gets on a channel.
 */

export const QUOTAS = ['messages_per_minute', 'llm_tokens_per_month', 'campaign_sends_per_day', 'storage_bytes'] as const;
export type QuotaName = (typeof QUOTAS)[number];

/** A limit of 0 means unlimited (as in the QUOTA_* variables). */
export type QuotaLimits = Record<QuotaName, number>;
/** An operator's overrides: a quota missing here takes the configured default. */
export type QuotaOverrides = Partial<QuotaLimits>;

export const QUOTA_INFO: Record<QuotaName, { label: string; unit: string; period: 'minute' | 'month' | 'day' | null }> = {
  messages_per_minute: { label: 'Messages per minute', unit: 'messages', period: 'minute' },
  llm_tokens_per_month: { label: 'LLM tokens this month', unit: 'tokens', period: 'month' },
  campaign_sends_per_day: { label: 'Campaign sends today', unit: 'sends', period: 'day' },
  storage_bytes: { label: 'Storage (documents and media)', unit: 'bytes', period: null },
};

/** The quotas counted per period in Redis and kept in PostgreSQL's quota_usage. */
export type PeriodQuota = 'llm_tokens_per_month' | 'campaign_sends_per_day';
export const PERIOD_QUOTAS: readonly PeriodQuota[] = ['llm_tokens_per_month', 'campaign_sends_per_day'];

/** The QUOTA_* variables (core/config.ts) as limits; typed by shape so the console can share this file. */
export function defaultLimits(config: { QUOTA_MESSAGES_PER_MINUTE: number; QUOTA_LLM_TOKENS_PER_MONTH: number; QUOTA_CAMPAIGN_SENDS_PER_DAY: number; QUOTA_STORAGE_MB: number }): QuotaLimits {
  return {
    messages_per_minute: config.QUOTA_MESSAGES_PER_MINUTE,
    llm_tokens_per_month: config.QUOTA_LLM_TOKENS_PER_MONTH,
    campaign_sends_per_day: config.QUOTA_CAMPAIGN_SENDS_PER_DAY,
    storage_bytes: config.QUOTA_STORAGE_MB * 1024 * 1024,
  };
}

export const effectiveLimits = (defaults: QuotaLimits, overrides: QuotaOverrides): QuotaLimits => ({ ...defaults, ...overrides });

/** The period a counter belongs to, in UTC: `2026-12` for a month, `2026-12-05` for a day; storage is noticed per month. */
export function periodKey(quota: QuotaName, at = new Date()): string {
  const iso = at.toISOString();
  return QUOTA_INFO[quota].period === 'day' ? iso.slice(0, 10) : iso.slice(0, 7);
}

/** When the period of `quota` that holds `at` ends (UTC midnight, or the first of the next month); null without a calendar period. */
export function periodEnd(quota: QuotaName, at = new Date()): Date | null {
  const period = QUOTA_INFO[quota].period;
  if (period === 'day') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
  if (period === 'month') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return null;
}

export type QuotaLevel = 'ok' | 'warning' | 'exceeded';
export const WARNING_SHARE = 0.8;

export function quotaLevel(used: number, limit: number): QuotaLevel {
  if (limit <= 0) return 'ok';
  if (used >= limit) return 'exceeded';
  return used >= limit * WARNING_SHARE ? 'warning' : 'ok';
}

/** The webhook event of a level reached (core/webhooks.ts). */
export const LEVEL_EVENTS = { warning: 'quota.warning', exceeded: 'quota.exceeded' } as const;

/**
 * What a contact reads when their message arrives over the tenant's messages-per-minute quota: the
 * message is kept, no turn runs, and this goes out once per window. A few languages, by the
 * contact's stored locale or the flow's language; English otherwise.
 */
const BUSY_NOTICE: Record<string, string> = {
  en: 'We are receiving a lot of messages right now. Yours has been received and a team member will get back to you.',
  es: 'Estamos recibiendo muchos mensajes en este momento. Hemos recibido el suyo y alguien del equipo le responderá.',
  fr: 'Nous recevons beaucoup de messages en ce moment. Le vôtre a bien été reçu et un membre de l’équipe vous répondra.',
  de: 'Wir erhalten gerade sehr viele Nachrichten. Ihre Nachricht ist angekommen und jemand aus dem Team meldet sich bei Ihnen.',
  pt: 'Estamos recebendo muitas mensagens agora. Recebemos a sua e alguém da equipe vai responder.',
  it: 'Stiamo ricevendo molti messaggi in questo momento. Il tuo è stato ricevuto e qualcuno del team ti risponderà.',
};

export function busyNotice(language?: string | null): string {
  const lang = (language ?? '').toLowerCase().split(/[-_]/)[0];
  return BUSY_NOTICE[lang] ?? BUSY_NOTICE.en;
}

/**
 * The metadata key the dispatcher sets on a channel message that arrived over the messages-per-minute
 * quota: `{quota, notice}` (notice null after the window's first). The conversation stores the message
 * and makes no turn.
 */
export const QUOTA_HOLD_KEY = 'quotaHeld';

/** The JSON `details` of a 429 for a quota: which one, its limit, and when to try again. */
export interface QuotaRefusal {
  quota: QuotaName;
  limit: number;
  used: number;
  retryAfterSeconds: number;
}

/** The dispatcher's mark on a message that arrived over the messages-per-minute quota. */
export function quotaHold(metadata: Record<string, unknown> | undefined): { notice: string | null } | null {
  const held = metadata?.[QUOTA_HOLD_KEY] as { notice?: unknown } | undefined;
  return held && typeof held === 'object' ? { notice: typeof held.notice === 'string' ? held.notice : null } : null;
}
