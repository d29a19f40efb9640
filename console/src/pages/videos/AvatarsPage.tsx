/**
 * Avatars and voices: the avatars (presenter image preview, or a D-ID presenter id) with their
 * voice, background and aspect ratio; the voice profiles, each with a sample player (speech cached
 * by content hash, so replaying costs nothing). Marketers, approvers, builders and admins edit.
 */
import { useState } from 'react';
import type { AvatarDto, VoiceProfileDto } from '../../../../core/api/renders';
import { ASPECT_RATIOS } from '../../../../core/renders';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Button, Field, Input, Panel, Select, Table, useToast } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';

export const canMakeVideos = (role?: Parameters<typeof can.market>[0]) => can.market(role) || can.build(role);

interface ProviderVoices {
  provider: 'elevenlabs' | 'espeak';
  items: { voiceId: string; name: string }[];
}

/** A file as base64, without the data-URL prefix. */
const base64Of = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

export function AvatarsPage() {
  const { user } = useAuth();
  const canManage = canMakeVideos(user?.role);
  const avatars = useQuery(async () => (await api.get<{ items: AvatarDto[] }>('/v1/avatars')).items, []);
  const voices = useQuery(async () => (await api.get<{ items: VoiceProfileDto[] }>('/v1/voices')).items, []);
  return (
    <div className="page pg-col">
      <h1>Avatars</h1>
      <div className="pg-split pg-split-right">
        <Panel title="Avatars">
          <QueryStatus query={avatars} loadingLabel="Loading avatars">
            {(items) => (
              <Table
                caption="Avatars"
                rows={items ?? []}
                rowKey={(a) => a.id}
                empty="No avatar yet: upload a presenter image."
                columns={[
                  { key: 'image', header: 'Presenter', render: (a) => (a.imageUrl ? <img src={a.imageUrl} alt={`${a.name}'s presenter image`} width={64} height={64} style={{ objectFit: 'cover', borderRadius: 8 }} /> : <code>{a.presenterId}</code>) },
                  { key: 'name', header: 'Name', render: (a) => a.name },
                  { key: 'voice', header: 'Voice', render: (a) => voices.data?.find((v) => v.id === a.voiceProfileId)?.name ?? 'espeak-ng (default)' },
                  { key: 'ratio', header: 'Aspect', render: (a) => a.aspectRatio },
                ]}
              />
            )}
          </QueryStatus>
        </Panel>
        {canManage && <NewAvatar voices={voices.data ?? []} onCreated={avatars.reload} />}
      </div>
      <div className="pg-split pg-split-right">
        <Panel title="Voices">
          <QueryStatus query={voices} loadingLabel="Loading voices">
            {(items) => (
              <Table
                caption="Voices"
                rows={items ?? []}
                rowKey={(v) => v.id}
                empty="No voice yet."
                columns={[
                  { key: 'name', header: 'Name', render: (v) => v.name },
                  { key: 'provider', header: 'Provider', render: (v) => `${v.provider} · ${v.voiceId}` },
                  { key: 'sample', header: 'Sample', render: (v) => <VoiceSample voice={v} canPlay={canManage} /> },
                ]}
              />
            )}
          </QueryStatus>
        </Panel>
        {canManage && <NewVoice onCreated={voices.reload} />}
      </div>
    </div>
  );
}

export function VoiceSample({ voice, canPlay }: { voice: VoiceProfileDto; canPlay: boolean }) {
  return (
    <div className="pg-row">
      <SamplePlayer voice={voice} canPlay={canPlay} format="web" label="Play sample" />
      <SamplePlayer voice={voice} canPlay={canPlay} format="telephony" label="Phone sample" />
    </div>
  );
}

/** One sample of the voice: `web` as videos speak it (MP3), `telephony` as a phone call plays it (8 kHz μ-law WAV). */
function SamplePlayer({ voice, canPlay, format, label }: { voice: VoiceProfileDto; canPlay: boolean; format: 'web' | 'telephony'; label: string }) {
  const toast = useToast();
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (url) return <audio controls autoPlay src={url} aria-label={`${voice.name} ${format === 'web' ? 'sample' : 'phone sample'}`} />;
  return (
    <Button
      size="sm"
      disabled={!canPlay || busy}
      onClick={async () => {
        setBusy(true);
        try {
          setUrl((await api.post<{ url: string }>(`/v1/voices/${voice.id}/sample`, format === 'web' ? {} : { format })).url);
        } catch (err) {
          toast.error((err as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      {label}
    </Button>
  );
}

function NewVoice({ onCreated }: { onCreated: () => void }) {
  const toast = useToast();
  const providerVoices = useQuery(() => api.get<ProviderVoices>('/v1/voices/provider-voices'), []);
  const [name, setName] = useState('');
  const [voiceId, setVoiceId] = useState('');
  const provider = providerVoices.data?.provider ?? 'espeak';
  const { submit, busy, errors, fieldError } = useSubmit(['name', 'voiceId', 'provider'], async () => {
    const chosen = voiceId || providerVoices.data?.items[0]?.voiceId || '';
    await api.post('/v1/voices', { name, provider, voiceId: chosen });
    toast.success(`Saved ${name}`);
    setName('');
    onCreated();
  });
  return (
    <Panel title="New voice">
      <form className="pg-col" onSubmit={(e) => void submit(e)}>
        <Field label="Name" error={fieldError('name')}>
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={provider === 'elevenlabs' ? 'ElevenLabs voice' : 'espeak-ng voice (offline)'} error={fieldError('voiceId') ?? fieldError('provider')}>
          <Select value={voiceId} onChange={(e) => setVoiceId(e.target.value)} options={(providerVoices.data?.items ?? []).map((v) => ({ value: v.voiceId, label: v.name }))} />
        </Field>
        {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
        <div className="pg-row pg-row-end">
          <Button type="submit" variant="primary" disabled={busy}>
            Add voice
          </Button>
        </div>
      </form>
    </Panel>
  );
}

function NewAvatar({ voices, onCreated }: { voices: VoiceProfileDto[]; onCreated: () => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [presenterId, setPresenterId] = useState('');
  const [voiceProfileId, setVoiceProfileId] = useState('');
  const [aspectRatio, setAspectRatio] = useState<(typeof ASPECT_RATIOS)[number]>('16:9');
  const [background, setBackground] = useState('#ffffff');
  const preview = file ? URL.createObjectURL(file) : null;
  const { submit, busy, errors, fieldError } = useSubmit(['name', 'image', 'presenterId', 'voiceProfileId', 'aspectRatio', 'background'], async () => {
    const source = file ? { image: await base64Of(file) } : { presenterId };
    await api.post('/v1/avatars', { name, ...source, voiceProfileId: voiceProfileId || null, aspectRatio, background });
    toast.success(`Saved ${name}`);
    setName('');
    setFile(null);
    onCreated();
  }, { validate: () => (!file && !presenterId.trim() ? ['image', 'Choose a presenter image or give a D-ID presenter id.'] : null) });
  return (
    <Panel title="New avatar">
      <form className="pg-col" onSubmit={(e) => void submit(e)}>
        <Field label="Name" error={fieldError('name')}>
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Presenter image" help="PNG or JPEG of a face, 256–4096 px a side." error={fieldError('image')}>
          <input type="file" accept="image/png,image/jpeg" aria-label="Presenter image" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Field>
        {preview && <img src={preview} alt="Preview of the presenter image" width={128} style={{ borderRadius: 8 }} />}
        <Field label="…or a D-ID presenter id" error={fieldError('presenterId')}>
          <Input value={presenterId} disabled={!!file} onChange={(e) => setPresenterId(e.target.value)} />
        </Field>
        <Field label="Voice" error={fieldError('voiceProfileId')}>
          <Select value={voiceProfileId} onChange={(e) => setVoiceProfileId(e.target.value)} options={[{ value: '', label: 'espeak-ng (default)' }, ...voices.map((v) => ({ value: v.id, label: v.name }))]} />
        </Field>
        <div className="pg-row">
          <Field label="Aspect ratio" error={fieldError('aspectRatio')}>
            <Select value={aspectRatio} onChange={(e) => setAspectRatio(e.target.value as typeof aspectRatio)} options={ASPECT_RATIOS.map((r) => ({ value: r, label: r }))} />
          </Field>
          <Field label="Background" error={fieldError('background')}>
            <Input type="color" value={background} onChange={(e) => setBackground(e.target.value)} />
          </Field>
        </div>
        {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
        <div className="pg-row pg-row-end">
          <Button type="submit" variant="primary" disabled={busy}>
            Add avatar
          </Button>
        </div>
      </form>
    </Panel>
  );
}
