/**
 * The floor a turn is measured against: a workflow whose update handler runs one local activity
 * that inserts one row, and answers. What durability costs at least — one update round trip to
 * Temporal and one durable write — with none of the platform's logic.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

export const baselineTurnUpdate = defineUpdate<{ reply: string }, [{ text: string }]>('turn');

const { insertTurnRow } = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '10s' });

export async function baselineConversation(): Promise<void> {
  setHandler(baselineTurnUpdate, async ({ text }) => {
    await insertTurnRow(text);
    return { reply: `ok: ${text}` };
  });
  // Lives until the benchmark terminates it, like a conversation waiting for its next message.
  await condition(() => false);
}
