/**
 * Retention and privacy, the vocabulary: what a tenant's retention policy says (days to keep each
 * kind of data; null keeps it for ever), and the contract of the `retention` workflow
 * (workflows/retention.ts), which the daily schedule (temporal/retention.ts) starts.
 */

/** The kinds of data a policy ages out, in the order a run deletes them. */
export const RETENTION_KINDS = ['messages', 'media', 'documents', 'events'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** Days to keep each kind (null or absent: for ever). Stored in tenants.settings.retention. */
export type RetentionPolicy = Partial<Record<RetentionKind, number | null>>;

/** What a run deleted, per table (a kind may touch several: messages also removes emptied closed conversations). */
export type RetentionCounts = Record<string, number>;

/** The whole-tenant view with every kind present. */
export const fullPolicy = (stored: RetentionPolicy | undefined): Record<RetentionKind, number | null> =>
  Object.fromEntries(RETENTION_KINDS.map((k) => [k, stored?.[k] ?? null])) as Record<RetentionKind, number | null>;

export const hasRetention = (policy: RetentionPolicy | undefined) => RETENTION_KINDS.some((k) => typeof policy?.[k] === 'number');

export interface RetentionTenant {
  tenantId: string;
  policy: RetentionPolicy;
}

export interface RetentionInput {
  /** The instant cutoffs are counted from; fixed by the first run so a continued run deletes to the same line. */
  asOf?: string;
  /** Only these tenants (an operator's or a test's run); every tenant with a policy when absent. */
  tenantIds?: string[];
  /** Rows per delete statement (default RETENTION_BATCH). */
  batchSize?: number;
  /** Batches per workflow run before it continues as new (default RETENTION_BATCHES_PER_RUN). */
  batchesPerRun?: number;
  /** Set by continue-as-new: the tenants of this run and where it stopped. */
  resume?: RetentionCursor;
}

export interface RetentionCursor {
  tenants: RetentionTenant[];
  tenantIndex: number;
  kindIndex: number;
  /** What the current tenant's deletions counted so far. */
  counts: RetentionCounts;
  /** Tenants whose audit entry is written, with their counts (the run's result). */
  done: { tenantId: string; counts: RetentionCounts }[];
}

/** The workflow's result and its `progress` query's answer. */
export interface RetentionProgress {
  asOf: string;
  tenants: number;
  done: { tenantId: string; counts: RetentionCounts }[];
}

export const RETENTION_BATCH = 500;
/** ~6 events per batch: a run stays far below the history limits before it continues as new. */
export const RETENTION_BATCHES_PER_RUN = 500;
/** A policy may not keep data for less than a day or longer than 100 years. */
export const RETENTION_MAX_DAYS = 36_500;

export const cutoffOf = (asOf: string, days: number) => new Date(Date.parse(asOf) - days * 86_400_000).toISOString();
