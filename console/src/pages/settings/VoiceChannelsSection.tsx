/**
 * Voice channels (admins): a Twilio account's numbers answering with a flow. The list shows each
 * channel's numbers and the webhook URL to paste into Twilio's number settings; the form connects
 * one: the account SID, the auth token (write-only: stored encrypted, never shown again; editing
 * a channel leaves it unchanged unless a new one is typed), the numbers, the flow, and the voice
 * profile calls speak with, with a sample to listen to. The API validates again; its errors land
 * on the field they name.
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { channelDto } from '../../../../core/api/channels';
import type { flowList } from '../../../../core/api/flows';
import type { VoiceProfileDto } from '../../../../core/api/renders';
import { api } from '../../api/client';
import { Button, Field, FormDialog, Input, Select, Table, actionsColumn, useToast } from '../../ui';
import { VoiceSample } from '../videos/AvatarsPage';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit, type Invalid } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

type Channel = z.infer<typeof channelDto>;
const FIELDS = ['name', 'flowId', 'credentials.accountSid', 'credentials.authToken', 'settings.numbers', 'settings.voiceProfileId', 'settings.language'] as const;
type FieldName = (typeof FIELDS)[number];

const numbersOf = (c: Channel) => (Array.isArray(c.settings.numbers) ? (c.settings.numbers as string[]) : []);
const splitNumbers = (text: string) => text.split(/[\s,;]+/).map((n) => n.trim()).filter(Boolean);

export function VoiceChannelsSection() {
  const channels = useQuery(async () => (await api.get<{ channels: Channel[] }>('/v1/channels')).channels.filter((c) => c.type === 'voice'), []);
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  return (
    <div className="pg-col">
      <div className="pg-row pg-row-between">
        <p className="pg-muted">Phone numbers on Twilio answer with a flow: paste the webhook URL as each number's “A call comes in” webhook (HTTP POST).</p>
        <Button variant="primary" onClick={() => setEditing('new')}>
          Connect voice channel
        </Button>
      </div>
      <QueryStatus query={channels} loadingLabel="Loading voice channels">
        {(data = []) => (
          <Table
            caption="Voice channels"
            rows={data}
            rowKey={(c) => c.id}
            empty="No voice channels yet."
            columns={[
              { key: 'name', header: 'Name' },
              { key: 'numbers', header: 'Numbers', render: (c) => numbersOf(c).join(', ') },
              { key: 'webhookUrl', header: 'Webhook URL', render: (c) => <span className="pg-mono">{c.webhookUrl}</span> },
              actionsColumn((c: Channel) => (
                <Button size="sm" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                  Edit
                </Button>
              )),
            ]}
          />
        )}
      </QueryStatus>
      <VoiceChannelDialog
        channel={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void channels.reload();
        }}
      />
    </div>
  );
}

const EMPTY: Record<FieldName, string> = { name: '', flowId: '', 'credentials.accountSid': '', 'credentials.authToken': '', 'settings.numbers': '', 'settings.voiceProfileId': '', 'settings.language': '' };

function VoiceChannelDialog({ channel, onClose, onSaved }: { channel: Channel | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const toast = useToast();
  const open = channel !== null;
  const existing = channel !== null && channel !== 'new' ? channel : null;
  const flows = useQuery(async () => (await api.get<z.infer<typeof flowList>>('/v1/flows')).flows.filter((f) => f.latestVersion !== null), [], { enabled: open });
  const voices = useQuery(async () => (await api.get<{ items: VoiceProfileDto[] }>('/v1/voices')).items, [], { enabled: open });
  const [values, setValues] = useState<Record<FieldName, string>>(EMPTY);
  useEffect(() => {
    if (!open) return;
    setValues(
      existing
        ? {
            ...EMPTY,
            name: existing.name,
            flowId: existing.flowId ?? '',
            'settings.numbers': numbersOf(existing).join(', '),
            'settings.voiceProfileId': String(existing.settings.voiceProfileId ?? ''),
            'settings.language': String(existing.settings.language ?? ''),
          }
        : EMPTY,
    );
  }, [open, existing]);
  const set = (field: FieldName) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  const validate = (): Invalid | null => {
    if (!values.name.trim()) return ['name', 'Name the channel.'];
    if (!existing && !/^AC[0-9a-fA-F]{32}$/.test(values['credentials.accountSid'].trim())) return ['credentials.accountSid', 'The Account SID: AC followed by 32 hexadecimal characters.'];
    if (!existing && !values['credentials.authToken'].trim()) return ['credentials.authToken', 'The account’s auth token.'];
    const numbers = splitNumbers(values['settings.numbers']);
    if (!numbers.length) return ['settings.numbers', 'At least one Twilio number.'];
    const bad = numbers.find((n) => !/^\+[1-9]\d{6,14}$/.test(n));
    if (bad) return ['settings.numbers', `${bad} is not an E.164 number such as +14155550100.`];
    return null;
  };

  const form = useSubmit(
    FIELDS,
    async () => {
      const v = (f: FieldName) => values[f].trim() || undefined;
      const settings = { ...(existing?.settings ?? {}), numbers: splitNumbers(values['settings.numbers']), voiceProfileId: v('settings.voiceProfileId'), language: v('settings.language') };
      const token = v('credentials.authToken');
      const accountSid = v('credentials.accountSid');
      const credentials = token || accountSid ? { ...(accountSid ? { accountSid } : {}), ...(token ? { authToken: token } : {}) } : undefined;
      if (existing) {
        await api.patch(`/v1/channels/${existing.id}`, { name: values.name.trim(), flowId: v('flowId') ?? null, settings, ...(credentials ? { credentials } : {}) });
      } else {
        await api.post('/v1/channels', { type: 'voice', name: values.name.trim(), ...(v('flowId') ? { flowId: v('flowId') } : {}), settings, credentials });
      }
      toast.success(existing ? `Saved ${values.name.trim()}` : `Connected ${values.name.trim()}`);
      onSaved();
    },
    { validate },
  );

  const profile = (voices.data ?? []).find((p) => p.id === values['settings.voiceProfileId']);
  return (
    <FormDialog title={existing ? 'Edit voice channel' : 'Connect voice channel'} open={open} onClose={onClose} onSubmit={() => void form.submit()} submitLabel={existing ? 'Save' : 'Connect'} busy={form.busy} error={form.errors.form}>
      <Field label="Name" error={form.fieldError('name')}>
        <Input value={values.name} onChange={set('name')} autoComplete="off" />
      </Field>
      <Field label="Flow" help="The published flow calls run (a call pins its latest version when it starts)." error={form.fieldError('flowId')}>
        <Select value={values.flowId} onChange={set('flowId')} options={[{ value: '', label: '— none —' }, ...(flows.data ?? []).map((f) => ({ value: f.id, label: f.name }))]} />
      </Field>
      <Field label="Twilio Account SID" help={existing ? 'Leave empty to keep the stored one.' : 'From the Twilio console, AC…'} error={form.fieldError('credentials.accountSid')}>
        <Input value={values['credentials.accountSid']} onChange={set('credentials.accountSid')} autoComplete="off" placeholder={existing ? 'unchanged' : 'AC…'} />
      </Field>
      <Field label="Twilio auth token" help={existing ? 'Write-only: leave empty to keep the stored token.' : 'Write-only: stored encrypted, never shown again.'} error={form.fieldError('credentials.authToken')}>
        <Input type="password" value={values['credentials.authToken']} onChange={set('credentials.authToken')} autoComplete="new-password" placeholder={existing ? 'unchanged' : ''} />
      </Field>
      <Field label="Phone numbers" help="E.164, separated by commas; the first places outbound calls." error={form.fieldError('settings.numbers')}>
        <Input value={values['settings.numbers']} onChange={set('settings.numbers')} placeholder="+14155550100" autoComplete="off" />
      </Field>
      <Field label="Voice profile" help="How calls speak (Videos → Avatars holds the profiles); none: the offline voice." error={form.fieldError('settings.voiceProfileId')}>
        <Select value={values['settings.voiceProfileId']} onChange={set('settings.voiceProfileId')} options={[{ value: '', label: '— default voice —' }, ...(voices.data ?? []).map((p) => ({ value: p.id, label: p.name }))]} />
      </Field>
      {profile && (
        <div className="pg-row">
          <VoiceSample key={profile.id} voice={profile} canPlay />
        </div>
      )}
      <Field label="Language" help="For Twilio’s own voice and speech recognition, e.g. en-US (default)." error={form.fieldError('settings.language')}>
        <Input value={values['settings.language']} onChange={set('settings.language')} placeholder="en-US" autoComplete="off" />
      </Field>
    </FormDialog>
  );
}
