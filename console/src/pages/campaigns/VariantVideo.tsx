/**
 * A variant's video: in the wizard, a stored render to pick or a script to render (with `{{contact.…}}`
 * variables it is rendered per recipient); on the review, campaign and preview, the player of a
 * stored render or the script it will be rendered from.
 */
import type { AvatarDto, RenderDto } from '../../../../core/api/renders';
import { api } from '../../api/client';
import { Field, Select, Textarea } from '../../ui';
import { useQuery } from '../shared/useQuery';
import type { CampaignVideo } from './types';

type Mode = 'none' | 'stored' | 'script';

export function VideoFields({ variantId, video, onChange }: { variantId: string; video: CampaignVideo | undefined; onChange: (video: CampaignVideo | undefined) => void }) {
  const mode: Mode = !video ? 'none' : video.renderId !== undefined ? 'stored' : 'script';
  const renders = useQuery(async () => (await api.get<{ items: RenderDto[] }>('/v1/videos?status=completed&limit=100')).items, []);
  const avatars = useQuery(async () => (await api.get<{ items: AvatarDto[] }>('/v1/avatars')).items, []);
  const pick = (next: Mode) => onChange(next === 'none' ? undefined : next === 'stored' ? { renderId: renders.data?.[0]?.id ?? '' } : { script: '', avatarId: avatars.data?.[0]?.id ?? '' });
  return (
    <fieldset className="cp-fieldset">
      <legend>Video</legend>
      <Field label={`Video (variant ${variantId})`} help="WhatsApp sends it as a video (a template needs a video header), SMS as MMS or a link, email as a poster linking to it, Messenger as a link">
        <Select
          value={mode}
          onChange={(e) => pick(e.target.value as Mode)}
          options={[
            { value: 'none', label: 'No video' },
            { value: 'stored', label: 'A finished video' },
            { value: 'script', label: 'Render from a script' },
          ]}
        />
      </Field>
      {mode === 'stored' && (
        <Field label={`Finished video (variant ${variantId})`}>
          <Select value={video?.renderId ?? ''} onChange={(e) => onChange({ renderId: e.target.value })} options={[{ value: '', label: 'Choose a video' }, ...(renders.data ?? []).map((r) => ({ value: r.id, label: r.title || r.script.slice(0, 60) }))]} />
        </Field>
      )}
      {mode === 'script' && (
        <>
          <Field label={`Avatar (variant ${variantId})`}>
            <Select value={video?.avatarId ?? ''} onChange={(e) => onChange({ ...video, avatarId: e.target.value })} options={[{ value: '', label: 'Choose an avatar' }, ...(avatars.data ?? []).map((a) => ({ value: a.id, label: a.name }))]} />
          </Field>
          <Field label={`Video script (variant ${variantId})`} help="Rendered once before sending; with {{contact.firstName}}-style variables, once per recipient (recipients wait for theirs)">
            <Textarea rows={3} maxLength={2000} value={video?.script ?? ''} onChange={(e) => onChange({ ...video, script: e.target.value })} />
          </Field>
        </>
      )}
    </fieldset>
  );
}

/** What recipients get: the stored video's player, or the script it is rendered from. */
export function VideoSummary({ video, personalized }: { video: { renderId?: string; script?: string }; personalized?: boolean }) {
  const render = useQuery(async () => (video.renderId ? api.get<RenderDto>(`/v1/videos/${video.renderId}`) : null), [video.renderId]);
  if (video.renderId) {
    const r = render.data;
    return (
      <section className="cp-channel" aria-label="Video">
        <h4 className="pg-h3">Video</h4>
        {r?.outputs ? <video controls preload="none" poster={r.outputs.poster} src={r.outputs.mp4} width={240} aria-label={r.title || 'Campaign video'} /> : <p className="pg-muted">{r ? `The video is ${r.status}; sending waits for it` : 'Loading the video'}</p>}
      </section>
    );
  }
  const perRecipient = personalized ?? /\{\{\s*contact\./.test(video.script ?? '');
  return (
    <section className="cp-channel" aria-label="Video">
      <h4 className="pg-h3">Video</h4>
      <p className="cp-message">{video.script}</p>
      <p className="pg-muted">{perRecipient ? 'Rendered for each recipient before their message is sent' : 'Rendered once before sending'}</p>
    </section>
  );
}
