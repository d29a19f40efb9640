/**
 * The `calendarSync` workflow's client: one loop per staff member with a connected CalDAV calendar,
 * started when the connection is saved (and at worker start for every connected staff member),
 * cancelled when it is removed. Starting is idempotent: a running loop is kept, and told to sync now.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { DEFAULT_SYNC_SECONDS, DEFAULT_SYNC_WINDOW_DAYS, type CalendarSyncInput } from '../core/calendar-sync';
import { calendarSyncWorkflowId } from '../core/ids';
import { searchAttributePairs } from '../workflows/search-attributes';

export class CalendarSyncClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly intervalSeconds = DEFAULT_SYNC_SECONDS,
  ) {}

  async start(tenantId: string, staffId: string): Promise<string> {
    const workflowId = calendarSyncWorkflowId(tenantId, staffId);
    const input: CalendarSyncInput = { tenantId, staffId, intervalSeconds: this.intervalSeconds, windowDays: DEFAULT_SYNC_WINDOW_DAYS };
    await this.client.workflow.signalWithStart('calendarSync', {
      workflowId,
      taskQueue: this.taskQueue,
      args: [input],
      signal: 'syncNow',
      signalArgs: [],
      typedSearchAttributes: searchAttributePairs({ TenantId: tenantId }),
    });
    return workflowId;
  }

  /** Asks a running loop to sync now (a booking of this staff member changed); none running is fine. */
  async syncNow(tenantId: string, staffId: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(calendarSyncWorkflowId(tenantId, staffId)).signal('syncNow');
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  /** Best effort: a loop that already ended (staff member gone) has nothing to stop. */
  async cancel(tenantId: string, staffId: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(calendarSyncWorkflowId(tenantId, staffId)).cancel();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
