/**
 * The `retention` workflow's client: the daily schedule, created at worker start (created once;
 * a later start brings its hour and task queue up to date), and a run started at once (an
 * operator's `runNow`, the tests).
 */
import { type Client, ScheduleOverlapPolicy, type ScheduleOptionsAction } from '@temporalio/client';
import { RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_ID } from '../core/ids';
import type { RetentionInput, RetentionProgress } from '../core/retention';
import type { retention } from '../workflows/retention';
import { upsertSchedule } from './schedules';

export class RetentionClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Creates the daily schedule, or updates the one there is; answers which it did. */
  async ensureSchedule(hourUtc: number): Promise<'created' | 'updated'> {
    const action: ScheduleOptionsAction = { type: 'startWorkflow', workflowType: 'retention', workflowId: RETENTION_WORKFLOW_ID, taskQueue: this.taskQueue, args: [{}] };
    const spec = { calendars: [{ hour: hourUtc, minute: 0, comment: 'daily retention run (UTC)' }] };
    return upsertSchedule(this.client, {
      scheduleId: RETENTION_SCHEDULE_ID,
      spec,
      action,
      // A run still going (a large first cleanup) is not doubled; a day missed while the server was down runs once when it is back.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  }

  /** Starts a run now (id `retention:all:now-<time>`) and waits for its result. */
  async runNow(input: RetentionInput = {}): Promise<RetentionProgress> {
    return this.client.workflow.execute<typeof retention>('retention', { workflowId: `${RETENTION_WORKFLOW_ID}-now-${Date.now()}`, taskQueue: this.taskQueue, args: [input] });
  }
}
