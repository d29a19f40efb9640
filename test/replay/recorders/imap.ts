/**
 * `imapMailbox` recording: a poll that records mail (the cursor advances and is carried into the
 * next poll), one that finds nothing on a server without IDLE (the workflow sleeps), one that
 * IDLEd, then the channel stops reading IMAP and the workflow ends.
 */
import { imapWorkflowId } from '../../../core/ids';
import type { ImapMailboxInput, ImapPollResult } from '../../../core/email-inbound';
import type { imapMailbox } from '../../../workflows/imapMailbox';
import { expectPath, type Recorder } from './types';

export const imapRecorders: Record<string, Recorder> = {
  'imap-polls-then-channel-gone': {
    async record(ctx) {
      const cursor = { mailbox: 'desk@imap.example:993/INBOX', uidValidity: '1796404796', lastUid: 7 };
      const results: ImapPollResult[] = [
        { stop: false, cursor, recorded: 2, idled: false },
        { stop: false, cursor, recorded: 0, idled: false },
        { stop: false, cursor: { ...cursor, lastUid: 8 }, recorded: 1, idled: true },
        { stop: true, cursor: { ...cursor, lastUid: 8 }, recorded: 0, idled: false },
      ];
      const seen: (number | null)[] = [];
      ctx.h.fakes.impl.pollImapMailbox = async (input) => {
        seen.push(input.cursor?.lastUid ?? null);
        return results[seen.length - 1];
      };
      const input: ImapMailboxInput = { tenantId: 't1', channelId: 'c1', cursor: null, idleSeconds: 240, pollSeconds: 0.1 };
      const handle = await ctx.h.client.workflow.start<typeof imapMailbox>('imapMailbox', {
        workflowId: imapWorkflowId(input.tenantId, input.channelId),
        taskQueue: ctx.h.taskQueue,
        args: [input],
      });
      await handle.result();
      expectPath(JSON.stringify(seen) === JSON.stringify([null, 7, 7, 8]), `four polls, each from the cursor the last returned (saw ${JSON.stringify(seen)})`);
      await ctx.save('imap-polls-then-channel-gone', handle.workflowId);
    },
  },
};
