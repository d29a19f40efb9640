/**
 * How every Schedule here is kept: created once; a later call brings the one with its id up to date
 * (its spec and action, and its state when given), so a changed setting or task queue takes effect
 * without a delete that would lose the Schedule's recent runs.
 */
import { type Client, ScheduleAlreadyRunning, type ScheduleDescription, type ScheduleHandle, ScheduleNotFoundError, type ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';

/** Creates the Schedule, or updates the one there is; answers which it did. */
export async function upsertSchedule(client: Client, options: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const { spec, action, state } = options;
  await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec, action, ...(state ? { state: { ...previous.state, ...state } } : {}) }));
  return 'updated';
}

/** The Schedule's description; null when there is none. */
export async function describeScheduleIfAny(client: Client, scheduleId: string): Promise<ScheduleDescription | null> {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}

/** Deletes the Schedule; one that is not there is already what was asked. */
export async function deleteScheduleIfAny(handle: ScheduleHandle): Promise<void> {
  await handle.delete().catch((err) => {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  });
}

/** What a tenant's Schedule should be: its times and run, on or paused (with the note the Temporal UI shows). */
export interface TenantScheduleWanted {
  spec: ScheduleOptions['spec'];
  action: ScheduleOptions['action'];
  enabled: boolean;
  note: string;
}

/**
 * A tenant's Schedule (weekly report, re-audits) kept to its setting: none → deleted, off →
 * paused, on → running. A worker or server away over the time still runs it within the day; never
 * two at once.
 */
export async function syncTenantSchedule(client: Client, scheduleId: string, wanted: TenantScheduleWanted | null): Promise<void> {
  if (!wanted) return deleteScheduleIfAny(client.schedule.getHandle(scheduleId));
  await upsertSchedule(client, {
    scheduleId,
    spec: wanted.spec,
    action: wanted.action,
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    state: { paused: !wanted.enabled, note: wanted.note },
  });
}

/** What the console shows of a Schedule: paused or not, and its next three runs while it runs. */
export function scheduleState(d: ScheduleDescription): { scheduleId: string; paused: boolean; nextRuns: string[] } {
  return { scheduleId: d.scheduleId, paused: d.state.paused, nextRuns: d.state.paused ? [] : d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()) };
}
