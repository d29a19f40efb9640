/**
 * Where an email channel's inbound mail comes from (`settings.inboundProvider`), for the adapter's
 * schema and the console's form; and the IMAP mailbox poll (workflows/imapMailbox.ts): its input
 * and what each poll returns.
 */

export const EMAIL_INBOUND_PROVIDERS = ['signed-mime', 'postmark', 'sendgrid', 'mailgun', 'imap'] as const;
export type EmailInboundProvider = (typeof EMAIL_INBOUND_PROVIDERS)[number];

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
