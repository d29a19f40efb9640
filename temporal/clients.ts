/** The Temporal clients the API uses, one per workflow kind plus the kind-agnostic runs client, built once per process. */
import type { Client } from '@temporalio/client';
import { CalendarSyncClient } from './calendar-sync';
import { CampaignClient } from './campaigns';
import { ConversationClient } from './conversation';
import { FlowRunClient } from './flow-run';
import { PresenceAuditClient } from './presence-audit';
import { ImapMailboxClient } from './imap-mailbox';
import { IngestClient } from './ingest';
import { RetentionClient } from './retention';
import { RunsClient } from './runs';
import { ReportsClient } from './reports';
import { VideoRenderClient } from './video-render';

export class WorkflowGateway {
  readonly conversation: ConversationClient;
  readonly flowRun: FlowRunClient;
  readonly ingest: IngestClient;
  readonly imapMailbox: ImapMailboxClient;
  readonly calendarSync: CalendarSyncClient;
  readonly campaigns: CampaignClient;
  readonly runs: RunsClient;
  readonly reports: ReportsClient;
  readonly retention: RetentionClient;
  readonly videoRender: VideoRenderClient;
  readonly presenceAudit: PresenceAuditClient;

  constructor(client: Client, taskQueue: string, opts: { calendarSyncSeconds?: number } = {}) {
    this.conversation = new ConversationClient(client, taskQueue);
    this.flowRun = new FlowRunClient(client, taskQueue);
    this.ingest = new IngestClient(client, taskQueue);
    this.imapMailbox = new ImapMailboxClient(client, taskQueue);
    this.calendarSync = new CalendarSyncClient(client, taskQueue, opts.calendarSyncSeconds);
    this.campaigns = new CampaignClient(client, taskQueue);
    this.runs = new RunsClient(client);
    this.reports = new ReportsClient(client, taskQueue);
    this.retention = new RetentionClient(client, taskQueue);
    this.videoRender = new VideoRenderClient(client, taskQueue);
    this.presenceAudit = new PresenceAuditClient(client, taskQueue);
  }
}
