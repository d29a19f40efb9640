/**
 * The platform's own mail (not a tenant's email channel): notices to a tenant's admins, sent through
 * SMTP_URL with the same guarded SMTP client the email channel uses. Without SMTP_URL there is no
 * mailer and callers log instead.
 */
import type Mail from 'nodemailer/lib/mailer';
import type { Config } from '../core/config';
import { sendSmtp, type SmtpServer } from '../channels/email/smtp';
import { configPolicy } from '../net/address-policy';

/** `icalEvent` makes the mail a calendar invitation (a text/calendar part mail clients offer to add). */
export type SystemMailer = (mail: Pick<Mail.Options, 'to' | 'subject' | 'text' | 'icalEvent' | 'html'>) => Promise<void>;

/** The bare address of SMTP_FROM (`Name <a@b>` → `a@b`): an invitation's organizer. */
export const mailerAddress = (config: Pick<Config, 'SMTP_FROM'>) => /<([^>]+)>/.exec(config.SMTP_FROM)?.[1] ?? config.SMTP_FROM.trim();

/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465` (implicit TLS). */
export function smtpServerFromUrl(value: string): SmtpServer {
  const url = new URL(value);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : {}),
  };
}

export function systemMailer(config: Config): SystemMailer | null {
  if (!config.SMTP_URL) return null;
  const server = smtpServerFromUrl(config.SMTP_URL);
  const policy = configPolicy(config);
  return (mail) => sendSmtp(server, policy, { from: config.SMTP_FROM, ...mail });
}
