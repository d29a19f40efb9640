/**
 * `pollImapMailbox`, the step of workflows/imapMailbox.ts: reads an IMAP channel's new mail
 * (channels/email/imap.ts) and records each message exactly as the raw-MIME webhook does —
 * parseInboundEmail, then a row in `inbound_messages` (deduplicated by Message-ID per channel) —
 * and queues it for the dispatcher. A retry resumes from the cursor last heartbeated; a message
 * recorded again by a retry is the same row, so nothing is dispatched twice.
 */
import { AppError } from '../../core/errors';
import type { ImapCursor } from '../../core/email-inbound';
import { stripUnstorableDeep } from '../../core/text';
import { systemEm } from '../../db/orm';
import { recordInboundEvents } from '../../db/repos/channels-inbound';
import { channelLoader } from '../../channels/directory';
import { imapServerOf, type EmailChannel } from '../../channels/email/adapter';
import { parseInboundEmail } from '../../channels/email/inbound';
import { pollMailbox } from '../../channels/email/imap';
import { configPolicy } from '../../net/address-policy';
import { activityContext, cancellationSignal, heartbeat } from '../context';
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';

export function imapActivities({ orm, config, enqueueInbound }: ActivityDeps): Pick<SwitchboardActivities, 'pollImapMailbox'> {
  const channels = channelLoader(orm, config);
  return {
    async pollImapMailbox({ tenantId, channelId, cursor, idleSeconds }) {
      const channel = await channels.get(channelId);
      const server = channel && channel.row.type === 'email' ? imapServerOf(channel.config as unknown as EmailChannel) : null;
      if (!channel || !server || channel.row.tenant !== tenantId) return { stop: true, cursor, recorded: 0, idled: false };
      // What an earlier attempt of this poll had recorded, when it died before returning.
      const resumed = activityContext()?.info.heartbeatDetails as ImapCursor | undefined;
      const start = resumed && (!cursor || resumed.lastUid >= cursor.lastUid) ? resumed : cursor;
      const result = await pollMailbox(server, configPolicy(config), start, {
        idleMs: idleSeconds * 1000,
        signal: cancellationSignal(),
        progress: (next) => heartbeat(next),
        record: async (raw) => {
          let events;
          try {
            events = await parseInboundEmail(raw);
          } catch (err) {
            // Mail that is not a message (no From, broken MIME) must not stop the mailbox: skip it.
            if (err instanceof AppError && err.status < 500) return;
            throw err;
          }
          const ids = await recordInboundEvents(systemEm(orm), events.map((event) => ({ tenantId, channelId, event: stripUnstorableDeep(event) })));
          // The row is durable now; a queueing failure only delays it until the sweeper.
          await enqueueInbound?.(ids).catch(() => undefined);
        },
      });
      return { stop: false, ...result };
    },
  };
}
