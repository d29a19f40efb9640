/**
 * What an inbound mail relay does: build a raw RFC 822 message (as a mail client would) and post
 * it to the channel's webhook, signed with the channel's inbound secret.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { signInboundEmail } from '../../channels/email/signature';

export function composeEmail(mail: Mail.Options): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

export async function postInboundEmail(
  url: string,
  secret: string,
  raw: Buffer,
  opts: { timestamp?: number; signature?: string; contentType?: string } = {},
): Promise<{ status: number; body: any }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'message/rfc822',
      'x-switchboard-timestamp': String(timestamp),
      'x-switchboard-signature': opts.signature ?? signInboundEmail(secret, timestamp, raw),
    },
    body: new Uint8Array(raw),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}
