/**
 * The offline renderer: a real talking-head-style video without any provider. The avatar image
 * with a slow zoom (ffmpeg's zoompan, ~6 % over 20 s), the speech audio, and the script burned in
 * as captions, each caption shown for a share of the audio proportional to its length. Its output is
 * H.264 + AAC in MP4 and passes the same quality checks as a provider's render.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToolOrThrow, SAFE_INPUT_ARGS } from './ffmpeg';
import { probeMedia } from './probe';

export const OFFLINE_RENDERER_NAME = 'offline (ffmpeg still image + captions)';
const FPS = 25;
/** Zoom per frame: 1.0 → 1.06 over 20 s, then held. */
const ZOOM_PER_FRAME = 0.00012;
const MAX_ZOOM = 1.06;
const WORDS_PER_CAPTION = 7;
const FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface OfflineRenderInput { imagePath: string; audioPath: string; captions: string; width: number; height: number; outPath: string }

export async function renderOffline(input: OfflineRenderInput, opts: { timeoutMs?: number; threads?: number } = {}): Promise<void> {
  const { width, height } = input;
  if (width % 2 || height % 2 || width < 64 || height < 64) throw new Error(`the offline renderer needs even dimensions of at least 64 px, not ${width}x${height}`);
  const audio = await probeMedia(input.audioPath);
  if (!audio.audioCodec || !(audio.durationSec > 0)) throw new Error('the speech file has no audio');
  const dir = await mkdtemp(join(tmpdir(), 'offline-render-'));
  try {
    const cues = captionCues(input.captions, audio.durationSec);
    // Caption text goes through files (drawtext's textfile=), so no character of a script can reach the filter syntax.
    const captionFilters = await Promise.all(cues.map(async (cue, i) => {
      const file = join(dir, `caption${i}.txt`);
      await writeFile(file, wrapCaption(cue.text, maxCaptionChars(width, height)), { mode: 0o600 });
      return drawtext(file, cue.start, cue.end, width, height);
    }));
    // The image is read once and zoompan makes every frame from it (d = all frames): looping the
    // image instead scaled it again for each frame, twice the time. It is oversampled 2× first:
    // at the output size zoompan's whole-pixel crop offsets make the motion jitter.
    const frames = Math.ceil(audio.durationSec * FPS) + 1;
    const motion = [
      `scale=${width * 2}:${height * 2}:force_original_aspect_ratio=increase`,
      `crop=${width * 2}:${height * 2}`,
      `zoompan=z='min(${MAX_ZOOM},1+${ZOOM_PER_FRAME}*on)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=${frames}:s=${width}x${height}:fps=${FPS}`,
      'setsar=1',
    ];
    const filter = [...motion, ...captionFilters, 'format=yuv420p'].join(',');
    const threads = String(opts.threads ?? 1);
    await runToolOrThrow('ffmpeg', [
      ...SAFE_INPUT_ARGS,
      '-threads', threads, '-i', input.imagePath,
      '-threads', threads, '-i', input.audioPath,
      '-threads', threads, '-filter_threads', threads, '-y',
      '-map', '0:v:0', '-map', '1:a:0', '-vf', filter,
      '-t', audio.durationSec.toFixed(3),
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-profile:v', 'main', '-pix_fmt', 'yuv420p', '-r', String(FPS),
      // Keyframes every 2 s, as the delivery MP4 has them: the outputs can then copy this stream.
      '-force_key_frames', 'expr:gte(t,n_forced*2)',
      '-c:a', 'aac', '-b:a', '128k', '-ac', '2',
      '-movflags', '+faststart', '-f', 'mp4', input.outPath,
    ], { timeoutMs: opts.timeoutMs ?? 10 * 60_000, maxOutputBytes: 1024 * 1024 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface CaptionCue { text: string; start: number; end: number }

/** The script in chunks of a few words, each timed by its share of the characters over the speech. */
export function captionCues(script: string, durationSec: number): CaptionCue[] {
  const words = script.trim().split(/\s+/).filter(Boolean);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += WORDS_PER_CAPTION) chunks.push(words.slice(i, i + WORDS_PER_CAPTION).join(' '));
  const total = chunks.reduce((n, c) => n + c.length, 0) || 1;
  let t = 0;
  return chunks.map((text) => {
    const start = t;
    t += (text.length / total) * durationSec;
    return { text, start: round(start), end: round(t) };
  });
}

const captionFontSize = (width: number, height: number) => Math.max(14, Math.round(Math.min(width, height) / 18));

/** Characters that fit across 90 % of the frame (DejaVu Sans Bold averages ~0.62 em a character). */
const maxCaptionChars = (width: number, height: number) => Math.max(8, Math.floor((width * 0.9) / (captionFontSize(width, height) * 0.62)));

/** Breaks a caption into lines of at most `max` characters (a longer word gets a line of its own). */
export function wrapCaption(text: string, max: number): string {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

function drawtext(textFile: string, start: number, end: number, width: number, height: number): string {
  const size = captionFontSize(width, height);
  const font = existsSync(FONT_FILE) ? `fontfile=${FONT_FILE}` : 'font=Sans';
  return [
    `drawtext=${font}`, `textfile=${textFile}`, 'expansion=none', `fontsize=${size}`, 'fontcolor=white',
    'box=1', 'boxcolor=black@0.55', `boxborderw=${Math.round(size / 3)}`,
    `line_spacing=${Math.round(size / 4)}`, 'x=(w-text_w)/2', `y=h-text_h-${Math.round(height / 12)}`,
    `enable='between(t,${start},${end})'`,
  ].join(':');
}

const round = (n: number) => Math.round(n * 1000) / 1000;
