/**
 * The two-way sync of one staff member's CalDAV calendar (`calsync:{tenant}:{staffId}`): every
 * interval (or at once on `syncNow`) one activity pulls the calendar's busy times into
 * calendar_busy_blocks, pushes bookings that are missing or stale there, and removes cancelled ones.
 * A booking whose event the staff member deleted in the calendar is cancelled through its own
 * `appointment` workflow (signal `calendarDeleted`), which tells the customer; when that workflow
 * no longer runs, an activity cancels the booking through the service layer.
 *
 * The loop continues as new every SYNCS_PER_RUN syncs or when Temporal suggests it, and ends when
 * the staff member is gone or no longer connected. Timers, not a schedule: the sync must not
 * overlap itself, and `syncNow` has to cut a wait short.
 */
import { ActivityFailure, condition, continueAsNew, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SwitchboardActivities } from '../activities/types';
import type { CalendarSyncInput, CalendarSyncProgress } from '../core/calendar-sync';
import { ACTIVITY_OPTIONS } from './flow/activities';
import { calendarSyncNowSignal, calendarSyncProgressQuery } from './messages';
import { setRunAttributes } from './runtime/search-attributes';

/** Bounds the history: a sync is ~6 events, a deletion 2-4 more. */
export const SYNCS_PER_RUN = 300;
/** The appointment workflow's signal (workflows/appointment.ts): named here, not imported, to keep this bundle's dependencies one way. */
const CALENDAR_DELETED = 'calendarDeleted';
/** After a sync exhausted its attempts (the database or calendar stayed away), the wait before the next. */
const UNREACHABLE_PAUSE = '15m';

export async function calendarSync(input: CalendarSyncInput): Promise<void> {
  setRunAttributes({ TenantId: input.tenantId });
  const { syncStaffCalendar } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.syncStaffCalendar);
  const { cancelDeletedAppointment } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.cancelDeletedAppointment);
  const progress: CalendarSyncProgress = { syncs: 0, lastSyncAt: null, last: null };
  let wake = false;
  // Deletions already passed on in this run: the booking stays active until its workflow has
  // cancelled it, so the next sync may report it again.
  const reported = new Set<string>();
  setHandler(calendarSyncProgressQuery, () => progress);
  setHandler(calendarSyncNowSignal, () => void (wake = true));

  for (let attempts = 0; attempts < SYNCS_PER_RUN && !workflowInfo().continueAsNewSuggested; attempts++) {
    wake = false;
    try {
      progress.last = await syncStaffCalendar({ tenantId: input.tenantId, staffId: input.staffId, windowDays: input.windowDays });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await condition(() => wake, UNREACHABLE_PAUSE);
      continue;
    }
    if (progress.last.stop) return;
    for (const { appointmentId, workflowId } of progress.last.deleted) {
      if (reported.has(appointmentId)) continue;
      reported.add(appointmentId);
      try {
        await getExternalWorkflowHandle(workflowId).signal(CALENDAR_DELETED, {});
      } catch {
        // No appointment workflow runs for it (never started, or ended): cancel it directly.
        await cancelDeletedAppointment({ tenantId: input.tenantId, appointmentId });
      }
    }
    // Counted once its deletions are handed on: a caller that waits for the count sees the whole sync.
    progress.syncs++;
    progress.lastSyncAt = new Date().toISOString();
    await condition(() => wake, `${input.intervalSeconds}s`);
  }
  await continueAsNew<typeof calendarSync>(input);
}
