/**
 * One render: for a new one, the script editor (typed, or written from a brief in a brand voice),
 * the avatar and voice, and "Render"; then the progress bar by the workflow's stage (polled every
 * 1.5 s while it runs), the player with its poster, the download, the cost and, on failure, the
 * reason with its class. An identical request answers from the cache at once.
 */
import { useEffect, useState } from 'react';
import type { AvatarDto, RenderDto, VoiceProfileDto } from '../../../../core/api/renders';
import type { RenderStage } from '../../../../core/renders';
import { api } from '../../api/client';
import { Link, navigate } from '../../app/router';
import { useAuth } from '../../app/auth';
import { Badge, Button, Field, Input, Panel, Select, Textarea, useToast } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useSubmit } from '../shared/useAsyncAction';
import { useQuery } from '../shared/useQuery';
import { canMakeVideos } from './AvatarsPage';
import { costLabel } from './RendersPage';

/** The stages in order, as the progress bar counts them. */
const STEPS: RenderStage[] = ['queued', 'speech', 'rendering', 'waiting', 'downloading', 'checking', 'outputs', 'storing', 'completed'];
const STAGE_LABEL: Partial<Record<RenderStage, string>> = { speech: 'Speaking the script', rendering: 'Sending to the renderer', waiting: 'Rendering', downloading: 'Downloading', checking: 'Quality checks', outputs: 'Making MP4, WebM, poster', storing: 'Storing', completed: 'Done' };

export function RenderPage({ renderId }: { renderId?: string }) {
  return renderId ? <RenderView key={renderId} id={renderId} /> : <NewRender />;
}

function NewRender() {
  const { user } = useAuth();
  const toast = useToast();
  const avatars = useQuery(async () => (await api.get<{ items: AvatarDto[] }>('/v1/avatars')).items, []);
  const voices = useQuery(async () => (await api.get<{ items: VoiceProfileDto[] }>('/v1/voices')).items, []);
  const [title, setTitle] = useState('');
  const [script, setScript] = useState('');
  const [brief, setBrief] = useState('');
  const [avatarId, setAvatarId] = useState('');
  const [voiceProfileId, setVoiceProfileId] = useState('');
  const avatar = avatarId || avatars.data?.[0]?.id || '';
  const { submit, busy, errors, fieldError } = useSubmit(['title', 'script', 'avatarId', 'voiceProfileId'], async () => {
    const created = await api.post<RenderDto & { cached: boolean }>('/v1/videos', { title, script: { type: 'text', text: script }, avatarId: avatar, voiceProfileId: voiceProfileId || null });
    if (created.cached) toast.success('The same video was rendered before: no new render, no cost');
    navigate(`/videos/${created.id}`);
  }, { validate: () => (!script.trim() ? ['script', 'Write what the presenter says.'] : !avatar ? ['avatarId', 'Add an avatar first.'] : null) });
  const write = useSubmit(['brief'], async () => setScript((await api.post<{ script: string }>('/v1/videos/script', { brief, seconds: 20 })).script), {
    validate: () => (brief.trim() ? null : ['brief', 'Say what the video is about.']),
  });
  if (!canMakeVideos(user?.role)) return <Panel title="New render">Your role may watch videos but not render them.</Panel>;
  return (
    <div className="page pg-col">
      <h1>New render</h1>
      <Panel title="Script">
        <form className="pg-col" onSubmit={(e) => void write.submit(e)}>
          <Field label="Brief" help="Written into a script of about 20 s in your default brand voice (your model, if configured)." error={write.fieldError('brief')}>
            <Input value={brief} onChange={(e) => setBrief(e.target.value)} />
          </Field>
          <div className="pg-row pg-row-end">
            <Button type="submit" disabled={write.busy}>
              Write the script
            </Button>
          </div>
        </form>
        <form className="pg-col" onSubmit={(e) => void submit(e)}>
          <Field label="Title" error={fieldError('title')}>
            <Input value={title} onChange={(e) => setTitle(e.target.value)} />
          </Field>
          <Field label="What the presenter says" help={`${script.trim().split(/\s+/).filter(Boolean).length} words, about ${Math.round(script.trim().split(/\s+/).filter(Boolean).length / 2.5)} s`} error={fieldError('script')}>
            <Textarea rows={6} value={script} onChange={(e) => setScript(e.target.value)} aria-label="Script" />
          </Field>
          <div className="pg-row">
            <Field label="Avatar" error={fieldError('avatarId')}>
              <Select value={avatar} onChange={(e) => setAvatarId(e.target.value)} options={(avatars.data ?? []).map((a) => ({ value: a.id, label: a.name }))} />
            </Field>
            <Field label="Voice" error={fieldError('voiceProfileId')}>
              <Select value={voiceProfileId} onChange={(e) => setVoiceProfileId(e.target.value)} options={[{ value: '', label: "The avatar's voice" }, ...(voices.data ?? []).map((v) => ({ value: v.id, label: v.name }))]} />
            </Field>
          </div>
          {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
          <div className="pg-row pg-row-end">
            <Link to="/avatars">Manage avatars</Link>
            <Button type="submit" variant="primary" disabled={busy}>
              Render
            </Button>
          </div>
        </form>
      </Panel>
    </div>
  );
}

function RenderView({ id }: { id: string }) {
  const toast = useToast();
  const render = useQuery(() => api.get<RenderDto>(`/v1/videos/${id}`), [id]);
  const running = render.data?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(render.reload, 1500);
    return () => clearInterval(timer);
  }, [running, render.reload]);
  return (
    <QueryStatus query={render} loadingLabel="Loading the render">
      {(r) =>
        r && (
          <div className="page pg-col">
            <div className="pg-row pg-row-between">
              <h1>{r.title || 'Video'}</h1>
              <Link to={`/runs/${encodeURIComponent(r.workflowId)}`}>Run history</Link>
            </div>
            <Panel title="Progress">
              <div className="pg-col">
                <progress className="pg-progress" aria-label="Render progress" max={STEPS.length - 1} value={Math.max(0, STEPS.indexOf(r.stage))} />
                <div className="pg-row pg-row-between">
                  <Badge tone={r.status === 'completed' ? 'success' : r.status === 'failed' ? 'danger' : 'info'}>{r.status === 'running' ? (STAGE_LABEL[r.stage] ?? r.stage) : r.status}</Badge>
                  <span className="pg-muted" data-testid="render-cost">{costLabel(r)}</span>
                </div>
                {r.error && <p className="form-error" role="alert">{r.errorClass ? `${r.errorClass}: ` : ''}{r.error}</p>}
                {running && (
                  <div className="pg-row pg-row-end">
                    <Button variant="ghost" onClick={() => void api.post(`/v1/videos/${r.id}/cancel`).then(render.reload, (err: Error) => toast.error(err.message))}>
                      Cancel
                    </Button>
                  </div>
                )}
              </div>
            </Panel>
            {r.outputs && (
              <Panel title="Video">
                <div className="pg-col">
                  <video controls poster={r.outputs.poster} style={{ maxWidth: '100%', maxHeight: 480 }} aria-label="Rendered video">
                    <source src={r.outputs.webm} type="video/webm" />
                    <source src={r.outputs.mp4} type="video/mp4" />
                  </video>
                  <div className="pg-row">
                    <a href={r.outputs.mp4} download={`${r.title || 'video'}.mp4`}>Download MP4</a>
                    <a href={r.outputs.webm} download={`${r.title || 'video'}.webm`}>Download WebM</a>
                    <span className="pg-muted">{r.durationSec?.toFixed(1)} s · {r.provider}</span>
                  </div>
                </div>
              </Panel>
            )}
            <Panel title="Script">
              <p style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.script}</p>
            </Panel>
          </div>
        )
      }
    </QueryStatus>
  );
}
