/**
 * The `imapMailbox` workflow's client: one poll per IMAP email channel, started when a channel
 * reads IMAP (created, or switched to `inboundProvider: imap`) and cancelled when it is deleted or
 * switched away. Starting is idempotent: a running poll is kept, with its cursor.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { imapWorkflowId } from '../core/ids';
import type { ImapMailboxInput } from '../core/email-inbound';
import { searchAttributePairs } from '../workflows/search-attributes';

/** A poll IDLEs this long (servers drop IDLE after 30 minutes; 4 keeps heartbeats and restarts cheap). */
export const IMAP_IDLE_SECONDS = 240;
/** Between polls of a server without IDLE. */
export const IMAP_POLL_SECONDS = 60;

export interface ImapChannelRef {
  id: string;
  tenantId: string;
  type: string;
  settings: Record<string, unknown>;
}

export const readsImap = (channel: Pick<ImapChannelRef, 'type' | 'settings'>) => channel.type === 'email' && channel.settings.inboundProvider === 'imap';

export class ImapMailboxClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts or stops the channel's poll to match its settings (`null`: the channel was deleted). */
  async sync(tenantId: string, channelId: string, channel: ImapChannelRef | null): Promise<void> {
    if (channel && readsImap(channel)) await this.start(tenantId, channelId);
    else await this.cancel(tenantId, channelId);
  }

  async start(tenantId: string, channelId: string): Promise<string> {
    const workflowId = imapWorkflowId(tenantId, channelId);
    const input: ImapMailboxInput = { tenantId, channelId, cursor: null, idleSeconds: IMAP_IDLE_SECONDS, pollSeconds: IMAP_POLL_SECONDS };
    await this.client.workflow.start('imapMailbox', {
      workflowId,
      taskQueue: this.taskQueue,
      args: [input],
      typedSearchAttributes: searchAttributePairs({ TenantId: tenantId, Channel: channelId }),
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return workflowId;
  }

  /** Best effort: a poll that already ended (channel gone) has nothing to stop. */
  async cancel(tenantId: string, channelId: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(imapWorkflowId(tenantId, channelId)).cancel();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
