/**
 * At worker start, every IMAP email channel gets its `imapMailbox` poll (a running one is kept):
 * the API starts it when the channel is saved, but a Temporal that was away at that moment, or a
 * namespace that was reset, must not leave a mailbox unread until someone edits the channel.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { systemEm } from '../db/orm';
import { ImapMailboxClient } from '../temporal/imap-mailbox';

export async function resumeImapPolls(orm: MikroORM, temporal: Client, taskQueue: string): Promise<number> {
  const rows = await systemEm(orm)
    .getConnection()
    .execute<{ id: string; tenant_id: string }[]>(`select id, tenant_id from channels where type = 'email' and settings->>'inboundProvider' = 'imap'`);
  const client = new ImapMailboxClient(temporal, taskQueue);
  for (const row of rows) await client.start(row.tenant_id, row.id);
  return rows.length;
}
