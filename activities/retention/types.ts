import type { RetentionCounts, RetentionKind, RetentionPolicy, RetentionTenant } from '../../core/retention';

/** The steps of the `retention` workflow (workflows/retention.ts). */
export interface RetentionActivities {
  /** Tenants with a retention policy (only `tenantIds` when given), with their policies as they are now. */
  listRetentionTenants(input: { tenantIds?: string[] }): Promise<RetentionTenant[]>;
  /** Deletes up to `limit` rows of one kind older than `cutoff`; `more` while rows remain. Safe to retry. */
  deleteExpiredBatch(input: { tenantId: string; kind: RetentionKind; cutoff: string; limit: number }): Promise<{ counts: RetentionCounts; more: boolean }>;
  /** One audit entry per tenant and run (written once, however often retried). */
  recordRetentionRun(input: { tenantId: string; runKey: string; asOf: string; policy: RetentionPolicy; counts: RetentionCounts }): Promise<void>;
}
