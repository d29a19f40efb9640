/**
 * The `retention` workflow's client: the daily schedule of the task queue, created at worker start
 * (created once; a later start brings its hour up to date), and a run started at once (an
 * operator's `runNow`, the tests).
 */
import { type Client, ScheduleOverlapPolicy, type ScheduleOptionsAction } from '@temporalio/client';
import { LEGACY_RETENTION_SCHEDULE_ID, retentionScheduleId, retentionWorkflowId } from '../core/ids';
import type { RetentionInput, RetentionProgress } from '../core/retention';
import type { retention } from '../workflows/retention';
import { deleteScheduleIfAny, describeScheduleIfAny, upsertSchedule } from './schedules';

export class RetentionClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Creates the queue's daily schedule, or updates the one there is; answers which it did. The
   * namespace's one schedule of earlier versions goes when it starts runs on this queue, so an
   * upgraded deployment does not run twice a day.
   */
  async ensureSchedule(hourUtc: number): Promise<'created' | 'updated'> {
    const legacy = await describeScheduleIfAny(this.client, LEGACY_RETENTION_SCHEDULE_ID);
    if (legacy?.action.type === 'startWorkflow' && legacy.action.taskQueue === this.taskQueue) await deleteScheduleIfAny(this.client.schedule.getHandle(LEGACY_RETENTION_SCHEDULE_ID));
    const action: ScheduleOptionsAction = { type: 'startWorkflow', workflowType: 'retention', workflowId: retentionWorkflowId(this.taskQueue), taskQueue: this.taskQueue, args: [{}] };
    const spec = { calendars: [{ hour: hourUtc, minute: 0, comment: 'daily retention run (UTC)' }] };
    return upsertSchedule(this.client, {
      scheduleId: retentionScheduleId(this.taskQueue),
      spec,
      action,
      // A run still going (a large first cleanup) is not doubled; a day missed while the server was down runs once when it is back.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  }

  /** Starts a run now (id `retention:all:daily:{queue}-now-<time>`) and waits for its result. */
  async runNow(input: RetentionInput = {}): Promise<RetentionProgress> {
    return this.client.workflow.execute<typeof retention>('retention', { workflowId: `${retentionWorkflowId(this.taskQueue)}-now-${Date.now()}`, taskQueue: this.taskQueue, args: [input] });
  }
}
