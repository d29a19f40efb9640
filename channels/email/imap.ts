/**
 * IMAP intake for a mailbox with no inbound provider, with imapflow: new messages since a cursor
 * (the mailbox's UIDVALIDITY and the last UID recorded), handed one at a time to `record` in UID
 * order, the cursor advancing only after each is recorded; then, when nothing was new, IDLE until
 * the server announces mail or `idleMs` passes. The host is resolved through the address policy
 * and the connection goes to that checked address (TLS still verifies the host name), as SMTP does.
 *
 * A first poll (no cursor, or another mailbox, or a changed UIDVALIDITY) takes the unseen messages
 * only: connecting a mailbox must not replay years of read mail to the bot. Messages are read with
 * BODY.PEEK, so the mailbox's \Seen flags stay the user's.
 */
import { isIP } from 'node:net';
import type { ImapFlow } from 'imapflow';
import type { ImapCursor } from '../../core/email-inbound';
import { normalizeHost, OutboundRefusedError, resolveChecked, type AddressPolicy } from '../../net/address-policy';

export interface ImapServer {
  host: string;
  port: number;
  /** Implicit TLS; otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

export type { ImapCursor };

export interface PollOptions {
  /** Called for each new message in UID order; the cursor passes its UID only once this resolves. */
  record(raw: Buffer, uid: number): Promise<void>;
  /** Called with the cursor after each message and every few seconds while idle (activity heartbeats). */
  progress(cursor: ImapCursor): void;
  /** How long to IDLE for new mail when there was none; 0 to return at once. */
  idleMs: number;
  signal?: AbortSignal;
}

export interface PollResult {
  cursor: ImapCursor;
  recorded: number;
  /** The server supports IDLE and was waited on (the caller need not sleep before the next poll). */
  idled: boolean;
}

const HEARTBEAT_MS = 5_000;

export const mailboxIdentity = (server: ImapServer) => `${server.user}@${normalizeHost(server.host)}:${server.port}/${server.mailbox}`;

async function clientFor(server: ImapServer, policy: AddressPolicy): Promise<ImapFlow> {
  const host = normalizeHost(server.host);
  const [address] = await resolveChecked(policy, host);
  // Loaded at the first poll: most processes never speak IMAP (~33 MB with its dependencies).
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: address,
    port: server.port,
    secure: server.secure,
    ...(isIP(host) ? {} : { servername: host }),
    auth: { user: server.user, pass: server.pass },
    logger: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
  client.on('error', () => undefined);
  return client;
}

export async function pollMailbox(server: ImapServer, policy: AddressPolicy, cursor: ImapCursor | null, opts: PollOptions): Promise<PollResult> {
  const client = await clientFor(server, policy);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(server.mailbox, { readOnly: true });
    try {
      const state = { cursor: currentCursor(client, server, cursor), recorded: 0 };
      const fresh = !cursor || cursor.mailbox !== state.cursor.mailbox || cursor.uidValidity !== state.cursor.uidValidity;
      await recordNew(client, state, fresh, opts);
      if (state.recorded > 0 || opts.idleMs <= 0 || !client.capabilities.has('IDLE')) return { ...state, idled: false };
      if (await idleForMail(client, state.cursor, opts)) await recordNew(client, state, false, opts);
      return { ...state, idled: true };
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

function currentCursor(client: ImapFlow, server: ImapServer, previous: ImapCursor | null): ImapCursor {
  const box = client.mailbox;
  if (!box) throw new Error(`mailbox ${server.mailbox} is not open`);
  const mailbox = mailboxIdentity(server);
  const uidValidity = String(box.uidValidity);
  if (previous && previous.mailbox === mailbox && previous.uidValidity === uidValidity) return { ...previous };
  // Starting over: mail that arrives from now on, plus whatever is still unseen (recordNew).
  return { mailbox, uidValidity, lastUid: Math.max(0, box.uidNext - 1) };
}

async function recordNew(client: ImapFlow, state: { cursor: ImapCursor; recorded: number }, fresh: boolean, opts: PollOptions): Promise<void> {
  const query = fresh ? { seen: false } : { uid: `${state.cursor.lastUid + 1}:*` };
  const found = (await client.search(query, { uid: true })) || [];
  // `N:*` always matches the highest UID, even when it is below N.
  const uids = found.filter((uid) => fresh || uid > state.cursor.lastUid).sort((a, b) => a - b);
  for (const uid of uids) {
    opts.signal?.throwIfAborted();
    const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
    if (message && message.source) {
      await opts.record(message.source, uid);
      state.recorded++;
    }
    state.cursor.lastUid = Math.max(state.cursor.lastUid, uid);
    opts.progress({ ...state.cursor });
  }
}

/** IDLE until the server reports a new message, the time is up or the caller aborts; true on mail. */
async function idleForMail(client: ImapFlow, cursor: ImapCursor, opts: PollOptions): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const done = (mail: boolean) => {
      clearTimeout(timeout);
      clearInterval(beat);
      client.off('exists', onExists);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(mail);
    };
    const onExists = () => done(true);
    const onAbort = () => done(false);
    const timeout = setTimeout(() => done(false), opts.idleMs);
    const beat = setInterval(() => opts.progress({ ...cursor }), HEARTBEAT_MS);
    client.on('exists', onExists);
    opts.signal?.addEventListener('abort', onAbort);
    // Inside our own lock: the next command (the fetch, or logout) ends the IDLE.
    void client.idle().catch(() => undefined);
  });
}

/**
 * Login and the mailbox, without reading anything, for the channel's connection test. The answer
 * is one of a fixed set of sentences (never the server's text), as for SMTP.
 */
export async function verifyImap(server: ImapServer, policy: AddressPolicy): Promise<{ ok: boolean; detail: string }> {
  let client: ImapFlow;
  try {
    client = await clientFor(server, policy);
  } catch (err) {
    return { ok: false, detail: err instanceof OutboundRefusedError ? err.message : `${server.host} could not be resolved` };
  }
  try {
    await client.connect();
  } catch (err) {
    const e = err as { authenticationFailed?: boolean; code?: string };
    if (e.authenticationFailed) return { ok: false, detail: 'the IMAP server refused the credentials' };
    return { ok: false, detail: /CERT|SELF_SIGNED|ALTNAME/.test(e.code ?? '') ? 'the IMAP server’s TLS certificate is not trusted' : 'could not connect to the IMAP server' };
  }
  try {
    const status = await client.status(server.mailbox, { messages: true }).catch(() => false as const);
    if (!status) return { ok: false, detail: `the IMAP server has no mailbox ${server.mailbox}` };
    return { ok: true, detail: `${server.host}:${server.port} accepted the credentials; ${server.mailbox} is readable` };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
