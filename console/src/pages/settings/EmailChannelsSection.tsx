/**
 * Email channels (admins): the list with each channel's inbound source and webhook URL, and the
 * form that connects one — SMTP for replies, and where inbound mail comes from: signed raw MIME,
 * Postmark, SendGrid Inbound Parse, Mailgun Routes or an IMAP mailbox, each with its own fields.
 * The API validates everything again; its errors land on the field they name.
 */
import { useState } from 'react';
import type { z } from 'zod';
import type { channelDto } from '../../../../core/api/channels';
import { EMAIL_INBOUND_PROVIDERS, type EmailInboundProvider } from '../../../../core/email-inbound';
import { api } from '../../api/client';
import { Button, Checkbox, Field, FormDialog, Input, Select, Table, useToast } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit, type Invalid } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

type Channel = z.infer<typeof channelDto>;

const PROVIDER_LABELS: Record<EmailInboundProvider, string> = {
  'signed-mime': 'Signed raw MIME (a relay)',
  postmark: 'Postmark Inbound',
  sendgrid: 'SendGrid Inbound Parse',
  mailgun: 'Mailgun Routes',
  imap: 'IMAP mailbox (polled)',
};

const PROVIDER_HELP: Record<EmailInboundProvider, string> = {
  'signed-mime': 'Post the raw message signed with the inbound secret (X-Switchboard-Signature).',
  postmark: 'Paste the webhook URL into Postmark with basic auth: https://postmark:<inbound secret>@…',
  sendgrid: 'Use the webhook URL as the Inbound Parse destination with basic auth: https://sendgrid:<inbound secret>@…',
  mailgun: 'Create a route with forward("<webhook URL>"); posts are checked with the signing key below.',
  imap: 'The mailbox is read continuously; unread mail and everything that arrives become messages.',
};

const FIELDS = [
  'name',
  'settings.fromAddress',
  'settings.smtpHost',
  'settings.smtpPort',
  'credentials.smtpUser',
  'credentials.smtpPass',
  'credentials.inboundSigningSecret',
  'settings.inboundProvider',
  'credentials.mailgunSigningKey',
  'settings.imapHost',
  'settings.imapPort',
  'settings.imapUser',
  'credentials.imapPassword',
  'settings.imapMailbox',
] as const;
type FieldName = (typeof FIELDS)[number];

const providerOf = (c: Channel) => (c.settings.inboundProvider as EmailInboundProvider | undefined) ?? 'signed-mime';
const port = (value: string) => (value.trim() ? Number(value) : undefined);

export function EmailChannelsSection() {
  const channels = useQuery(async () => (await api.get<{ channels: Channel[] }>('/v1/channels')).channels.filter((c) => c.type === 'email'), []);
  const [creating, setCreating] = useState(false);
  return (
    <div className="pg-col">
      <div className="pg-row pg-row-between">
        <p className="pg-muted">Email channels answer mail over SMTP; inbound mail comes from a provider's webhook or an IMAP mailbox.</p>
        <Button variant="primary" onClick={() => setCreating(true)}>
          Connect email channel
        </Button>
      </div>
      <QueryStatus query={channels} loadingLabel="Loading email channels">
        {(data = []) => (
          <Table
            caption="Email channels"
            rows={data}
            rowKey={(c) => c.id}
            empty="No email channels yet."
            columns={[
              { key: 'name', header: 'Name' },
              { key: 'from', header: 'Address', render: (c) => String(c.settings.fromAddress ?? '') },
              { key: 'inbound', header: 'Inbound', render: (c) => PROVIDER_LABELS[providerOf(c)] },
              { key: 'webhookUrl', header: 'Webhook URL', render: (c) => (providerOf(c) === 'imap' ? '—' : <span className="pg-mono">{c.webhookUrl}</span>) },
            ]}
          />
        )}
      </QueryStatus>
      <CreateEmailChannelDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          void channels.reload();
        }}
      />
    </div>
  );
}

function CreateEmailChannelDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const toast = useToast();
  const [values, setValues] = useState<Record<FieldName, string>>(() => Object.fromEntries(FIELDS.map((f) => [f, f === 'settings.inboundProvider' ? 'signed-mime' : ''])) as Record<FieldName, string>);
  const [imapTls, setImapTls] = useState(true);
  const provider = values['settings.inboundProvider'] as EmailInboundProvider;
  const set = (field: FieldName) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  const validate = (): Invalid | null => {
    const required: [FieldName, string][] = [
      ['name', 'Name the channel.'],
      ['settings.fromAddress', 'The address replies are sent from.'],
      ['settings.smtpHost', 'The SMTP server replies go through.'],
      ['credentials.inboundSigningSecret', 'At least 32 random characters.'],
      ...(provider === 'mailgun' ? ([['credentials.mailgunSigningKey', 'Mailgun’s HTTP webhook signing key.']] as [FieldName, string][]) : []),
      ...(provider === 'imap'
        ? ([
            ['settings.imapHost', 'The IMAP server.'],
            ['settings.imapUser', 'The mailbox user.'],
            ['credentials.imapPassword', 'The mailbox password.'],
          ] as [FieldName, string][])
        : []),
    ];
    const missing = required.find(([f]) => !values[f].trim());
    if (missing) return missing;
    if (values['credentials.inboundSigningSecret'].length < 32) return ['credentials.inboundSigningSecret', 'At least 32 characters.'];
    for (const f of ['settings.smtpPort', 'settings.imapPort'] as const) {
      const n = port(values[f]);
      if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 65535)) return [f, 'A port between 1 and 65535.'];
    }
    return null;
  };

  const form = useSubmit(
    FIELDS,
    async () => {
      const v = (f: FieldName) => values[f].trim() || undefined;
      await api.post('/v1/channels', {
        type: 'email',
        name: values.name.trim(),
        settings: {
          fromAddress: v('settings.fromAddress'),
          smtpHost: v('settings.smtpHost'),
          smtpPort: port(values['settings.smtpPort']),
          inboundProvider: provider,
          ...(provider === 'imap' ? { imapHost: v('settings.imapHost'), imapPort: port(values['settings.imapPort']), imapTls, imapUser: v('settings.imapUser'), imapMailbox: v('settings.imapMailbox') } : {}),
        },
        credentials: {
          smtpUser: v('credentials.smtpUser'),
          smtpPass: v('credentials.smtpPass'),
          inboundSigningSecret: values['credentials.inboundSigningSecret'],
          ...(provider === 'mailgun' ? { mailgunSigningKey: v('credentials.mailgunSigningKey') } : {}),
          ...(provider === 'imap' ? { imapPassword: values['credentials.imapPassword'] } : {}),
        },
      });
      toast.success(`Connected ${values.name.trim()}`);
      onCreated();
    },
    { validate },
  );

  const input = (field: FieldName, label: string, props: { type?: string; help?: string; placeholder?: string } = {}) => (
    <Field label={label} help={props.help} error={form.fieldError(field)}>
      <Input value={values[field]} onChange={set(field)} type={props.type ?? 'text'} placeholder={props.placeholder} autoComplete="off" />
    </Field>
  );

  return (
    <FormDialog title="Connect email channel" open={open} onClose={onClose} onSubmit={() => void form.submit()} submitLabel="Connect" busy={form.busy} error={form.errors.form}>
      {input('name', 'Name')}
      {input('settings.fromAddress', 'From address', { type: 'email' })}
      {input('settings.smtpHost', 'SMTP host')}
      {input('settings.smtpPort', 'SMTP port', { placeholder: '587' })}
      {input('credentials.smtpUser', 'SMTP user')}
      {input('credentials.smtpPass', 'SMTP password', { type: 'password' })}
      {input('credentials.inboundSigningSecret', 'Inbound secret', { type: 'password', help: 'Signs relayed mail; the basic-auth password for Postmark and SendGrid.' })}
      <Field label="Inbound mail from" help={PROVIDER_HELP[provider]} error={form.fieldError('settings.inboundProvider')}>
        <Select value={provider} onChange={set('settings.inboundProvider')} options={EMAIL_INBOUND_PROVIDERS.map((p) => ({ value: p, label: PROVIDER_LABELS[p] }))} />
      </Field>
      {provider === 'mailgun' && input('credentials.mailgunSigningKey', 'Mailgun signing key', { type: 'password' })}
      {provider === 'imap' && (
        <>
          {input('settings.imapHost', 'IMAP host')}
          {input('settings.imapPort', 'IMAP port', { placeholder: imapTls ? '993' : '143' })}
          <Field label="IMAP security">
            <Checkbox label="Implicit TLS (off: STARTTLS when offered)" checked={imapTls} onChange={(e) => setImapTls(e.target.checked)} />
          </Field>
          {input('settings.imapUser', 'IMAP user')}
          {input('credentials.imapPassword', 'IMAP password', { type: 'password' })}
          {input('settings.imapMailbox', 'Mailbox', { placeholder: 'INBOX' })}
        </>
      )}
    </FormDialog>
  );
}
