/**
 * Email: inbound as signed raw MIME posts (see signature.ts), outbound over SMTP. Each email
 * thread is its own conversation (threadKey = the thread's root Message-ID); replies thread
 * under the contact's last message with a deterministic Message-ID per send.
 */
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { EMAIL_INBOUND_PROVIDERS } from '../../core/email-inbound';
import type { AdapterEnv, ChannelAdapter, ChannelConfig, OutboundSend } from '../types';
import { isVideo, mediaTypeOf, plainTextOf } from '../wire';
import { parseInboundEmail } from './inbound';
import { verifyInboundEmail } from './signature';
import { POSTMARK_USER, postmarkToMime, verifyBasicAuth } from './providers/postmark';
import { SENDGRID_USER, sendgridToMime } from './providers/sendgrid';
import { mailgunToMime, verifyMailgun } from './providers/mailgun';
import { sendSmtp, verifySmtp, type SmtpServer } from './smtp';
import { verifyImap, type ImapServer } from './imap';
import { configPolicy } from '../../net/address-policy';
import { capReferences, emailThreadOf, outboundMessageId, replySubject } from './threading';

export const emailCredentialsSchema = z
  .object({
    smtpUser: z.string().min(1).optional(),
    smtpPass: z.string().min(1).optional(),
    /** Signs inbound posts (HMAC-SHA256); long and random, shared only with the inbound relay. */
    inboundSigningSecret: z.string().min(32, 'inboundSigningSecret must be at least 32 characters'),
    /** Mailgun's HTTP webhook signing key (inboundProvider mailgun). */
    mailgunSigningKey: z.string().min(1).optional(),
    /** The mailbox password (inboundProvider imap). */
    imapPassword: z.string().min(1).optional(),
  })
  .refine((c) => !c.smtpPass || c.smtpUser, { message: 'smtpPass needs smtpUser', path: ['smtpUser'] });

export const emailSettingsSchema = z.object({
  fromAddress: z.email('fromAddress must be an email address'),
  fromName: z.string().trim().min(1).max(200).optional(),
  smtpHost: z.string().trim().min(1, 'smtpHost is required'),
  smtpPort: z.number().int().min(1).max(65535).optional(),
  /** Implicit TLS (port 465). Otherwise STARTTLS when offered, or always with smtpRequireTls. */
  smtpSecure: z.boolean().optional(),
  smtpRequireTls: z.boolean().optional(),
  /** Subject of a message that does not answer one (default: the channel's name). */
  defaultSubject: z.string().trim().min(1).max(200).optional(),
  sendRatePerSecond: z.number().positive().max(1000).optional(),
  /**
   * Where inbound mail comes from: `signed-mime` (default: raw MIME signed with
   * inboundSigningSecret), `postmark` / `sendgrid` (their JSON / form, basic auth
   * `<provider>:<inboundSigningSecret>` in the URL), `mailgun` (a route's forward, signed with
   * the mailgunSigningKey credential) or `imap` (the mailbox below, polled by a workflow).
   */
  inboundProvider: z.enum(EMAIL_INBOUND_PROVIDERS, { error: `inboundProvider must be one of ${EMAIL_INBOUND_PROVIDERS.join(', ')}` }).optional(),
  imapHost: z.string().trim().min(1).optional(),
  imapPort: z.number().int().min(1).max(65535).optional(),
  /** Implicit TLS (port 993, the default); false for STARTTLS-or-plain (port 143). */
  imapTls: z.boolean().optional(),
  imapUser: z.string().trim().min(1).optional(),
  imapMailbox: z.string().trim().min(1).max(200).optional(),
}).superRefine((s, ctx) => {
  if (s.inboundProvider !== 'imap') return;
  for (const name of ['imapHost', 'imapUser'] as const) {
    if (!s[name]) ctx.addIssue({ code: 'custom', message: `${name} is required when inboundProvider is imap`, path: [name] });
  }
});

export type EmailCredentials = z.infer<typeof emailCredentialsSchema>;
export type EmailSettings = z.infer<typeof emailSettingsSchema>;
export type EmailChannel = ChannelConfig<EmailCredentials, EmailSettings>;

const RFC822 = 'message/rfc822';

export const emailAdapter = (env: AdapterEnv): ChannelAdapter<EmailCredentials, EmailSettings> => ({
  type: 'email',
  credentialsSchema: emailCredentialsSchema,
  settingsSchema: emailSettingsSchema,
  hostFields: ['smtpHost', 'imapHost'],

  verify(request, channel) {
    const secret = channel.credentials.inboundSigningSecret;
    switch (channel.settings.inboundProvider) {
      case 'postmark':
        return verifyBasicAuth(request, POSTMARK_USER, secret);
      case 'sendgrid':
        return verifyBasicAuth(request, SENDGRID_USER, secret);
      case 'mailgun':
        return verifyMailgun(request, channel.credentials.mailgunSigningKey);
      default:
        // An IMAP channel still takes signed raw MIME, e.g. from a relay during a migration.
        return verifyInboundEmail(request, secret);
    }
  },

  async parse(request, channel) {
    switch (channel.settings.inboundProvider) {
      case 'postmark':
        if (mediaTypeOf(request) !== 'application/json') throw new AppError('unsupported_media_type', 'Postmark inbound posts are application/json', { field: 'content-type' });
        return parseInboundEmail(await postmarkToMime(request.rawBody));
      case 'sendgrid':
        return parseInboundEmail(await sendgridToMime(request));
      case 'mailgun':
        return parseInboundEmail(await mailgunToMime(request));
    }
    if (mediaTypeOf(request) !== RFC822) {
      throw new AppError('unsupported_media_type', `inbound email is the raw message with Content-Type: ${RFC822}`, { field: 'content-type' });
    }
    return parseInboundEmail(request.rawBody);
  },

  async send(channel, message, context) {
    const { fromAddress, fromName, defaultSubject } = channel.settings;
    const thread = emailThreadOf(context.thread);
    const messageId = outboundMessageId(channel.id, context.idempotencyKey, fromAddress);
    const text = plainTextOf(message, { mediaAsLink: true });
    const composed = message.email;
    await sendSmtp(smtpServerOf(channel), configPolicy(env.config), {
      from: fromName ? { name: fromName, address: fromAddress } : fromAddress,
      to: context.contactAddress,
      subject: composed ? composed.subject : thread.subject ? replySubject(thread.subject) : (defaultSubject ?? channel.name),
      messageId,
      ...(thread.lastMessageId ? { inReplyTo: thread.lastMessageId } : {}),
      ...(thread.references.length ? { references: thread.references } : {}),
      text,
      html: composed ? withPreheader(composed.html, composed.preheader) : withVideoPoster(htmlOf(text), message.media),
      // RFC 3834: an automatic answer, so the contact's auto-responder does not answer it back;
      // a composed (campaign) message is bulk mail with its own headers (List-Unsubscribe…).
      headers: composed ? { 'Auto-Submitted': 'auto-generated', Precedence: 'bulk', ...composed.headers } : { 'Auto-Submitted': 'auto-replied' },
    });
    const subject = composed ? { subject: composed.subject } : {};
    return { providerMessageId: messageId, thread: { ...subject, references: capReferences([...thread.references, messageId]) } };
  },

  async testConnection(channel) {
    const smtp = await verifySmtp(smtpServerOf(channel), configPolicy(env.config));
    const imap = imapServerOf(channel);
    if (!smtp.ok || !imap) return smtp;
    const inbound = await verifyImap(imap, configPolicy(env.config));
    return { ok: inbound.ok, detail: `SMTP: ${smtp.detail}. IMAP: ${inbound.detail}` };
  },
});

function smtpServerOf(channel: EmailChannel): SmtpServer {
  const { smtpHost, smtpPort, smtpSecure, smtpRequireTls } = channel.settings;
  return {
    host: smtpHost,
    port: smtpPort ?? (smtpSecure ? 465 : 587),
    secure: smtpSecure,
    requireTls: smtpRequireTls,
    user: channel.credentials.smtpUser,
    pass: channel.credentials.smtpPass,
  };
}

/** The mailbox an `imap` channel reads, or null when the channel takes its mail some other way. */
export function imapServerOf(channel: EmailChannel): ImapServer | null {
  const { inboundProvider, imapHost, imapPort, imapTls, imapUser, imapMailbox } = channel.settings;
  if (inboundProvider !== 'imap' || !imapHost || !imapUser) return null;
  const secure = imapTls ?? true;
  return { host: imapHost, port: imapPort ?? (secure ? 993 : 143), secure, user: imapUser, pass: channel.credentials.imapPassword ?? '', mailbox: imapMailbox ?? 'INBOX' };
}

/** The inbox preview line: hidden text at the top of the body, which mail clients show after the subject. */
export function withPreheader(html: string, preheader?: string): string {
  if (!preheader) return html;
  const hidden = `<div style="display:none;max-height:0;overflow:hidden;opacity:0">${escapeHtml(preheader)}</div>`;
  return /<body[^>]*>/i.test(html) ? html.replace(/<body[^>]*>/i, (tag) => tag + hidden) : hidden + html;
}

/**
 * A video in an email: mail clients play no video, so its poster still links to it (the text part
 * and the paragraph above carry the same link for clients that block images).
 */
export function withVideoPoster(html: string, media: OutboundSend['media']): string {
  if (!media || !isVideo(media) || !media.posterUrl) return html;
  const url = escapeHtml(media.url);
  const alt = escapeHtml(media.caption ?? media.name ?? 'Play the video');
  const poster =
    `<p><a href="${url}" style="display:inline-block;position:relative"><img src="${escapeHtml(media.posterUrl)}" alt="${alt}" width="480" style="max-width:100%;height:auto;border:0;display:block"></a></p>` +
    `<p><a href="${url}">&#9654; Play the video</a></p>`;
  return html.replace('</body>', `${poster}</body>`);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The plain text as simple HTML: paragraphs at blank lines, line breaks kept, links clickable. */
export function htmlOf(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) =>
    escapeHtml(p)
      .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)
      .replace(/\n/g, '<br>'),
  );
  return `<!doctype html><html><body>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`;
}
