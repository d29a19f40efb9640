/** The `businessHours` node's activity (activities/opening-hours/): signature shared with the workflow. */
import type { OpeningStatus } from '../../core/opening-hours';

export interface OpeningHoursActivities {
  /** Whether the tenant is open at `at` (epoch ms, the workflow's clock), by its opening hours and timezone read now. */
  openingHoursStatus(input: { tenantId: string; at: number }): Promise<OpeningStatus>;
}
