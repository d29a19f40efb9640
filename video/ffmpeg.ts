/**
 * Running `ffmpeg` / `ffprobe` (Debian packages) safely: a child process with an argument array
 * (never a shell), only the `file` protocol, only the demuxers of real media files, one thread each
 * way unless a caller asks for more, a time limit after which the process is killed, and a cap on
 * what it may print. Thumbnails (channels/thumbnails.ts) and the video pipeline share these.
 */
import { execFile } from 'node:child_process';

/**
 * Only the demuxers of real image, audio and video files: a "video" that is really an HLS playlist
 * or a concat list would make ffmpeg open other files or URLs named inside it.
 */
export const MEDIA_INPUT_FORMATS = [
  'image2', 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'gif', 'gif_pipe', 'bmp_pipe', 'tiff_pipe', 'heif', 'avif',
  'mov,mp4,m4a,3gp,3g2,mj2', 'matroska,webm', 'avi', 'mpeg', 'mpegts', 'flv', 'ogg', 'asf',
  'mp3', 'wav', 'flac', 'aac',
].join(',');

/** The options every run starts with: no stdin, local files only, real media demuxers only; errors alone printed unless a filter's report is wanted (`info`). */
export const safeInputArgs = (loglevel: 'error' | 'info' = 'error') => ['-nostdin', '-hide_banner', '-loglevel', loglevel, '-protocol_whitelist', 'file', '-format_whitelist', MEDIA_INPUT_FORMATS];
export const SAFE_INPUT_ARGS = safeInputArgs();

export interface ToolRun {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
  /** Why it failed: the exit, the signal (a time limit), a missing binary. */
  error?: string;
}

export interface ToolOptions {
  timeoutMs: number;
  /** Largest stdout kept (a run printing more is killed and fails). */
  maxOutputBytes?: number;
}

/** Runs `bin args…` and answers what it printed; never throws. */
export function runTool(bin: string, args: string[], opts: ToolOptions): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      bin,
      args,
      { encoding: 'buffer', timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: opts.maxOutputBytes ?? 16 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        const text = stderr.toString('utf8');
        if (!err) return resolve({ ok: true, stdout, stderr: text });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string };
        const why = e.code === 'ENOENT' ? `${bin} is not installed` : e.killed || e.signal ? `${bin} ran past its ${opts.timeoutMs} ms limit` : `${bin} failed: ${lastLine(text) || e.message}`;
        resolve({ ok: false, stdout, stderr: text, error: why });
      },
    );
  });
}

/** Runs a tool and throws its reason when it fails (for pipelines where a failure stops the job). */
export async function runToolOrThrow(bin: string, args: string[], opts: ToolOptions): Promise<ToolRun> {
  const run = await runTool(bin, args, opts);
  if (!run.ok) throw new Error(run.error);
  return run;
}

const lastLine = (s: string) => s.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
