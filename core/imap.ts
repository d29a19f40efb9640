/** The IMAP mailbox poll (workflows/imapMailbox.ts): its input and what each poll returns. */

/** Where the poll is in the mailbox: UIDs are only meaningful under one mailbox and UIDVALIDITY. */
export interface ImapCursor {
  mailbox: string;
  uidValidity: string;
  lastUid: number;
}

export interface ImapMailboxInput {
  tenantId: string;
  channelId: string;
  cursor: ImapCursor | null;
  /** How long one poll IDLEs for new mail when the server supports IDLE. */
  idleSeconds: number;
  /** The pause between polls when the server has no IDLE (or a poll found nothing without it). */
  pollSeconds: number;
}

export interface ImapPollResult {
  /** The channel is gone or no longer reads IMAP: the workflow ends. */
  stop: boolean;
  cursor: ImapCursor | null;
  recorded: number;
  idled: boolean;
}
