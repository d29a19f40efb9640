/**
 * The long-lived poll of one IMAP email channel (`imap:{tenant}:{channelId}`): each poll records
 * the mailbox's new messages through the inbound intake and returns the cursor (UIDVALIDITY and
 * last UID recorded), kept here, durably, between polls. A poll IDLEs for mail when the server
 * can; otherwise the workflow sleeps between polls. It continues as new every POLLS_PER_RUN polls
 * (or when Temporal suggests it) carrying only the cursor, ends when the channel is gone or no
 * longer reads IMAP, and is cancelled by the API when the channel is deleted or switched away.
 */
import { ActivityFailure, continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { SwitchboardActivities } from '../activities/types';
import type { ImapCursor, ImapMailboxInput } from '../core/email-inbound';
import { ACTIVITY_OPTIONS } from './flow/activities';
import { imapProgressQuery } from './messages';
import { setRunAttributes } from './runtime/search-attributes';

/** Bounds the history: at most ~4 events a poll. */
export const POLLS_PER_RUN = 200;
/** After a poll exhausted its attempts (the mailbox stayed unreachable), the wait before the next one. */
const UNREACHABLE_PAUSE = '15m';

export async function imapMailbox(input: ImapMailboxInput): Promise<void> {
  setRunAttributes({ TenantId: input.tenantId, Channel: input.channelId });
  const { pollImapMailbox } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.pollImapMailbox);
  let cursor: ImapCursor | null = input.cursor;
  let polls = 0;
  setHandler(imapProgressQuery, () => ({ cursor, polls }));

  while (polls < POLLS_PER_RUN && !workflowInfo().continueAsNewSuggested) {
    polls++;
    let result;
    try {
      result = await pollImapMailbox({ tenantId: input.tenantId, channelId: input.channelId, cursor, idleSeconds: input.idleSeconds });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await sleep(UNREACHABLE_PAUSE);
      continue;
    }
    if (result.stop) return;
    cursor = result.cursor;
    // Mail just recorded: poll again at once (it IDLEs if nothing else came). Only a server
    // without IDLE, with nothing new, is waited for here.
    if (!result.idled && result.recorded === 0) await sleep(`${input.pollSeconds}s`);
  }
  await continueAsNew<typeof imapMailbox>({ ...input, cursor });
}
