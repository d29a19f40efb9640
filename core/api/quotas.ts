/** Request and response schemas of the usage page and the operator's quota API. */
import { z } from 'zod';
import { QUOTAS } from '../quotas';

export const quotaUsageSchema = z.object({
  quota: z.enum(QUOTAS),
  label: z.string(),
  unit: z.string(),
  used: z.number(),
  /** null: unlimited. */
  limit: z.number().nullable(),
  level: z.enum(['ok', 'warning', 'exceeded']),
  /** When the period starts over (or the minute's bucket is full again); null for storage. */
  resetsAt: z.string().nullable(),
});
export type QuotaUsageDto = z.infer<typeof quotaUsageSchema>;

export const usageResponse = z.object({ quotas: z.array(quotaUsageSchema) });
export type UsageResponse = z.infer<typeof usageResponse>;

const limitValue = z.number({ message: 'a limit is a whole number (0 = unlimited) or null (back to the default)' }).int().min(0).max(Number.MAX_SAFE_INTEGER).nullable();
const limitsShape = Object.fromEntries(QUOTAS.map((q) => [q, limitValue.optional()])) as Record<(typeof QUOTAS)[number], z.ZodOptional<typeof limitValue>>;

/** A partial map: a number sets that quota's limit (0 lifts it), null returns it to the configured default. */
export const operatorQuotaBody = z.strictObject(limitsShape).refine((v) => Object.keys(v).length > 0, { message: `name at least one of ${QUOTAS.join(', ')}` });

const limitsObject = z.object(Object.fromEntries(QUOTAS.map((q) => [q, z.number()])) as Record<(typeof QUOTAS)[number], z.ZodNumber>);

export const operatorQuotaResponse = z.object({
  tenantId: z.string(),
  /** From QUOTA_* (0 = unlimited). */
  defaults: limitsObject,
  /** The operator's own limits for this tenant. */
  overrides: limitsObject.partial(),
  /** What is enforced. */
  effective: limitsObject,
  usage: z.array(quotaUsageSchema),
});

export const operatorTenantParams = z.object({ tenantId: z.uuid({ message: 'tenantId must be a UUID' }) });
