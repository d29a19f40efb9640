/**
 * At worker start, every long-lived loop the database says should run is started (a running one is
 * kept): an `imapMailbox` poll per IMAP email channel, a `calendarSync` per staff member with a
 * connected calendar. The API starts them when the channel or connection is saved, but a Temporal
 * that was away at that moment, or a namespace that was reset, must not leave a mailbox unread or a
 * calendar unsynced until someone edits the settings.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { systemEm } from '../db/orm';
import { CalendarSyncClient } from '../temporal/calendar-sync';
import { ImapMailboxClient } from '../temporal/imap-mailbox';

async function resumeEach(orm: MikroORM, sql: string, start: (tenantId: string, id: string) => Promise<unknown>): Promise<number> {
  const rows = await systemEm(orm).getConnection().execute<{ id: string; tenant_id: string }[]>(sql);
  for (const row of rows) await start(row.tenant_id, row.id);
  return rows.length;
}

export function resumeImapPolls(orm: MikroORM, temporal: Client, taskQueue: string): Promise<number> {
  const client = new ImapMailboxClient(temporal, taskQueue);
  return resumeEach(orm, `select id, tenant_id from channels where type = 'email' and settings->>'inboundProvider' = 'imap'`, (t, id) => client.start(t, id));
}

export function resumeCalendarSyncs(orm: MikroORM, temporal: Client, taskQueue: string, intervalSeconds?: number): Promise<number> {
  const client = new CalendarSyncClient(temporal, taskQueue, intervalSeconds);
  return resumeEach(orm, `select id, tenant_id from staff_members where caldav is not null and active`, (t, id) => client.start(t, id));
}
