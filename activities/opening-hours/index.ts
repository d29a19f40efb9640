/**
 * Reads the tenant's opening hours fresh (not the few-seconds tenant cache: an admin who just
 * closed the line for a holiday expects the next call to hear it) and decides at the instant the
 * workflow gives, so a replay sees the recorded answer and a retry decides for the same instant.
 */
import { ApplicationFailure } from '@temporalio/common';
import { openingStatus } from '../../core/opening-hours';
import { systemEm } from '../../db/orm';
import { tenantById } from '../../db/repos';
import type { ActivityDeps } from '../deps';
import type { OpeningHoursActivities } from './types';

export function openingHoursActivities({ orm }: ActivityDeps): OpeningHoursActivities {
  return {
    async openingHoursStatus({ tenantId, at }) {
      const tenant = await tenantById(systemEm(orm), tenantId);
      if (!tenant) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} not found`, 'NotFound');
      return openingStatus(tenant.settings.openingHours, tenant.settings.timezone ?? 'UTC', at);
    },
  };
}
