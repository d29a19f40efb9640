/** The retention workflow's activities: thin wrappers over db/repos/retention.ts on the system entity manager (they name the tenant in every statement). */
import { systemEm } from '../../db/orm';
import { deleteExpiredBatch, recordRetentionRun, retentionTenants } from '../../db/repos/retention';
import type { ActivityDeps } from '../deps';
import type { RetentionActivities } from './types';

export function retentionActivities({ orm }: ActivityDeps): RetentionActivities {
  return {
    listRetentionTenants: ({ tenantIds }) => retentionTenants(systemEm(orm), tenantIds),
    deleteExpiredBatch: (input) => deleteExpiredBatch(systemEm(orm), input),
    recordRetentionRun: (input) => recordRetentionRun(systemEm(orm), input),
  };
}
