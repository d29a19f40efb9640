/**
 * The end of a render: the video is downloaded from D-ID (or made by the offline renderer), checked
 * (duration against the script's speech time, codecs, size for offline renders, audio present and
 * not silent), turned into its outputs (MP4 with faststart under WhatsApp's 16 MB, WebM, poster,
 * sprite, HLS for long ones), stored under `t/{tenant}/renders/{id}/`, and the row completed with
 * its cost. The files live on this worker only for the activity's length: a retry starts over
 * from the download, which costs nothing at the provider.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { didCredits, FRAME_SIZE, mediaKeys, type RenderOutputKeys } from '../../core/renders';
import { downloadDidResult } from '../../renders/d-id';
import { RenderProviderError } from '../../renders/errors';
import { runToolOrThrow } from '../../video/ffmpeg';
import { renderOffline } from '../../video/offline-renderer';
import { makeOutputs, WHATSAPP_MAX_VIDEO_BYTES } from '../../video/outputs';
import { checkVideo, expectedSpeechSeconds } from '../../video/quality';
import { heartbeat } from '../context';
import { queueEvent, subjectJobId } from '../events';
import type { SwitchboardActivities } from '../types';
import { classified, missing, type RenderContext } from './context';

const CONTENT_TYPES: Record<string, string> = { mp4: 'video/mp4', webm: 'video/webm', jpg: 'image/jpeg', m3u8: 'application/vnd.apple.mpegurl', ts: 'video/mp2t', m4s: 'video/iso.segment' };
const contentTypeOf = (file: string) => CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';

type Acts = Pick<SwitchboardActivities, 'finishRender' | 'failRender'>;

export function finishActivities(ctx: RenderContext): Acts {
  const stage = async (em: { flush(): Promise<void> }, row: { stage: string }, next: 'downloading' | 'checking' | 'outputs' | 'storing') => {
    row.stage = next;
    await em.flush();
    heartbeat(next);
  };

  return {
    async finishRender(ref) {
      return classified(async () => {
        const { em, row, avatar } = await ctx.load(ref);
        const store = ctx.store();
        const dir = await mkdtemp(join(tmpdir(), 'render-'));
        try {
          const video = join(dir, 'source.mp4');
          const settings = { aspectRatio: row.settings.aspectRatio ?? avatar?.aspectRatio ?? '16:9', background: row.settings.background ?? avatar?.background ?? '#ffffff' };
          const frame = FRAME_SIZE[settings.aspectRatio];
          await stage(em, row, 'downloading');
          if (ref.resultUrl) {
            const { did } = await ctx.endpoints(ref.tenantId);
            if (!did) throw new RenderProviderError('auth', 'no D-ID key is set any more: the result cannot be fetched');
            await downloadDidResult(did, ref.resultUrl, video);
          } else {
            if (!row.speechKey) throw new RenderProviderError('invalid_request', 'the render has no speech');
            const audio = join(dir, 'speech.mp3');
            await store.download(row.speechKey, audio);
            const image = join(dir, 'presenter');
            if (avatar?.imageKey) await store.download(avatar.imageKey, image);
            else if (avatar || !row.avatar) await solidImage(settings.background, frame, `${image}.png`);
            else throw missing('avatar');
            await renderOffline({ imagePath: avatar?.imageKey ? image : `${image}.png`, audioPath: audio, captions: row.settings.captions === false ? '' : row.script, ...frame, outPath: video });
          }
          heartbeat('checked-in');
          await stage(em, row, 'checking');
          const bounds = expectedSpeechSeconds(row.script);
          const quality = await checkVideo(video, {
            ...bounds,
            // D-ID picks its own frame size; ours must be the one asked for.
            ...(ref.resultUrl ? {} : frame),
            requireAudio: true,
            videoCodecs: ['h264'],
            audioCodecs: ['aac', 'mp3'],
          });
          if (!quality.ok) throw new RenderProviderError('quality', `the video failed quality control: ${quality.reason}`);
          await stage(em, row, 'outputs');
          const outputs = await makeOutputs(video, join(dir, 'out'), { maxMp4Bytes: WHATSAPP_MAX_VIDEO_BYTES, threads: 1 });
          await stage(em, row, 'storing');
          const keyOf = (path: string) => mediaKeys.render(ref.tenantId, row.id, relative(join(dir, 'out'), path) || basename(path));
          const put = async (path: string) => {
            const key = keyOf(path);
            await store.put(key, createReadStream(path), contentTypeOf(path));
            heartbeat(key);
            return key;
          };
          const keys: RenderOutputKeys = {
            mp4: await put(outputs.mp4),
            webm: await put(outputs.webm),
            poster: await put(outputs.poster),
            sprite: await put(outputs.sprite),
            hls: outputs.hls ? { playlist: await put(outputs.hls.playlist), files: await Promise.all(outputs.hls.files.map(put)) } : null,
          };
          const durationSec = Math.round(quality.probe.durationSec * 100) / 100;
          Object.assign(row, {
            outputs: keys,
            durationSec,
            status: 'completed',
            stage: 'completed',
            completedAt: new Date(),
            cost: { elevenLabsCharacters: row.cost.elevenLabsCharacters ?? 0, didCredits: ref.resultUrl ? didCredits(durationSec) : 0 },
          });
          await em.flush();
          await queueEvent(ctx.deps.eventsQueue, { tenantId: ref.tenantId, type: 'video.completed', workflowId: row.workflowId, data: { renderId: row.id, durationSec, cost: row.cost, provider: row.provider } }, subjectJobId(ref.tenantId, 'video.completed', `${row.id}:${row.attempt}`));
          return { durationSec, outputs: keys };
        } finally {
          await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        }
      });
    },

    async failRender(ref) {
      const { em, row } = await ctx.load(ref);
      if (row.status !== 'running') return;
      Object.assign(row, { status: ref.canceled ? 'canceled' : 'failed', stage: ref.canceled ? 'canceled' : 'failed', error: ref.reason, errorClass: ref.errorClass });
      await em.flush();
      await queueEvent(ctx.deps.eventsQueue, { tenantId: ref.tenantId, type: 'video.failed', workflowId: row.workflowId, data: { renderId: row.id, reason: ref.reason, errorClass: ref.errorClass, canceled: ref.canceled } }, subjectJobId(ref.tenantId, 'video.failed', `${row.id}:${row.attempt}`));
    },
  };
}

/** A plain card in the avatar's background colour, for a D-ID presenter rendered offline. */
async function solidImage(color: string, frame: { width: number; height: number }, out: string): Promise<void> {
  await runToolOrThrow('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=0x${color.slice(1)}:s=${frame.width}x${frame.height}`, '-frames:v', '1', out], { timeoutMs: 30_000 });
}
