/**
 * Holds a conversation's row locked from a separate connection, so the next turn's store write
 * (its foreign key on the row) waits inside the workflow task that runs it: the moment a test needs
 * to kill a part under a turn that is mid-way.
 */
import pg from 'pg';
import { waitUntil } from './wait';

export interface ConversationLock {
  /** Resolves once a query of another connection waits on the lock. */
  waitForBlocked(): Promise<void>;
  blocked(): Promise<boolean>;
  release(): Promise<void>;
  close(): Promise<void>;
}

export async function lockConversation(databaseUrl: string, conversationId: string): Promise<ConversationLock> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE', [conversationId]);
  const blocked = async () => (await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))')).rows[0].n > 0;
  return {
    blocked,
    waitForBlocked: () => waitUntil(blocked, 30_000, 'a turn to wait on the locked conversation'),
    release: async () => void (await client.query('ROLLBACK')),
    close: () => client.end().catch(() => {}),
  };
}
