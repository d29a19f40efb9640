/**
 * Video transcode cost: for a talking-head-style video (the offline renderer's output from an
 * image, espeak-ng speech and captions), the seconds each delivery output takes per minute of
 * video, on the worker's default of one encoder thread. Writes bench/results/video-transcode.json.
 *
 *   npm run bench:video-transcode [-- --seconds 30 --width 720 --height 1280 --runs 1 --threads 1]
 *
 * `measureTranscode` is exported for the render benchmark (bench:video), which reports the same figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderOffline } from '../video/offline-renderer';
import { encodeMp4, encodeWebm, makeHls, makePoster, makeSprite } from '../video/outputs';
import { probeMedia } from '../video/probe';
import { checkVideo } from '../video/quality';
import { writeResult } from './stats';

export interface TranscodeFigures {
  kind: string;
  /** Wall-clock seconds of the step (median of the runs). */
  seconds: number;
  /** Seconds per minute of video: the figure that scales with script length. */
  secondsPerOutputMinute: number;
  /** ffmpeg's CPU seconds per minute of video (independent of other load on the machine). */
  cpuSecondsPerOutputMinute: number;
  bytes: number | null;
}

const SCRIPT_WORDS = 'Hello and welcome. This week our chef presents a special lasagna with fresh basil, ripe tomatoes from the market and a glass of house wine. Book your table today and enjoy ten percent off on Tuesdays.';

/**
 * CPU seconds of this process's finished children (ffmpeg), from /proc/self/stat (cutime + cstime,
 * in 1/100 s): unlike wall-clock time, it does not grow when other work shares the cores.
 */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
  // After "pid (comm) ", cutime and cstime are the 14th and 15th fields.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

let lastCpu = 0;
async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const cpuBefore = childCpuSeconds();
  const value = await fn();
  lastCpu = childCpuSeconds() - cpuBefore;
  return [(performance.now() - start) / 1000, value];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export async function measureTranscode(opts: { seconds: number; width: number; height: number; runs: number; threads: number }): Promise<{ durationSec: number; figures: TranscodeFigures[] }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-transcode-'));
  try {
    // Speech of about the requested length: the script repeated, then cut by ffmpeg.
    const words = SCRIPT_WORDS.split(' ');
    const script = Array.from({ length: Math.ceil((opts.seconds * 2.6) / words.length) }, () => SCRIPT_WORDS).join(' ');
    const speech = join(dir, 'speech.wav');
    const full = join(dir, 'speech-full.wav');
    execFileSync('espeak-ng', ['-w', full, script]);
    execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-i', full, '-t', String(opts.seconds), speech]);
    const image = join(dir, 'avatar.png');
    execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=800x800', '-frames:v', '1', image]);

    const runs: Record<string, { seconds: number[]; cpu: number[]; bytes: number | null }> = {};
    const record = (kind: string, seconds: number, bytes: number | null) => {
      runs[kind] ??= { seconds: [], cpu: [], bytes };
      runs[kind].seconds.push(seconds);
      runs[kind].cpu.push(lastCpu);
      runs[kind].bytes = bytes;
    };
    const size = (p: string) => statSync(p).size;
    const o = { threads: opts.threads };
    let durationSec = 0;
    for (let run = 0; run < opts.runs; run++) {
      const source = join(dir, `render${run}.mp4`);
      const [renderSec] = await timed(() => renderOffline({ imagePath: image, audioPath: speech, captions: script, width: opts.width, height: opts.height, outPath: source }, o));
      const probe = await probeMedia(source);
      durationSec = probe.durationSec;
      record('offline render (zoompan + captions, H.264)', renderSec, probe.byteSize);
      const [qcSec] = await timed(() => checkVideo(source, { minSec: 0, maxSec: Infinity, requireAudio: true }));
      record('quality check (ffprobe + volumedetect)', qcSec, null);
      const rewrapped = join(dir, `rewrap${run}.mp4`);
      const [copySec, copy] = await timed(() => encodeMp4(source, rewrapped, { ...o, durationSec, hasAudio: true, copy: true }));
      record('mp4 rewrap of an H.264/AAC render (faststart)', copySec, copy.bytes);
      const mp4 = join(dir, `out${run}.mp4`);
      const [mp4Sec, plain] = await timed(() => encodeMp4(source, mp4, { ...o, durationSec, hasAudio: true }));
      record('mp4 encode (H.264 CRF 23 + AAC, faststart)', mp4Sec, plain.bytes);
      // A cap at half the CRF size forces exactly the re-encode the WhatsApp limit causes for a long video.
      const capped = join(dir, `capped${run}.mp4`);
      const [capSec, capResult] = await timed(() => encodeMp4(source, capped, { ...o, durationSec, hasAudio: true, maxBytes: Math.floor(plain.bytes / 2) }));
      record(`mp4 over its size cap (${capResult.attempts} encodes)`, capSec, capResult.bytes);
      const webm = join(dir, `out${run}.webm`);
      const [webmSec] = await timed(() => encodeWebm(source, webm, { ...o, hasAudio: true }));
      record('webm (VP9 realtime cpu-used 8 + Opus)', webmSec, size(webm));
      const poster = join(dir, `poster${run}.jpg`);
      const [posterSec] = await timed(() => makePoster(source, poster, durationSec, o));
      record('poster (JPEG)', posterSec, size(poster));
      const sprite = join(dir, `sprite${run}.jpg`);
      const [spriteSec] = await timed(() => makeSprite(source, sprite, durationSec, o));
      record('sprite (5x5 JPEG)', spriteSec, size(sprite));
      const [hlsSec, hls] = await timed(() => makeHls(mp4, join(dir, `hls${run}`), o));
      record('hls (6-s segments, stream copy)', hlsSec, hls.files.reduce((n, f) => n + size(f), 0));
    }
    const figures = Object.entries(runs).map(([kind, r]) => {
      const seconds = median(r.seconds);
      const cpu = median(r.cpu);
      return { kind, seconds: round(seconds), secondsPerOutputMinute: round(seconds / (durationSec / 60)), cpuSecondsPerOutputMinute: round(cpu / (durationSec / 60)), bytes: r.bytes };
    });
    return { durationSec: round(durationSec), figures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '30' }, width: { type: 'string', default: '720' }, height: { type: 'string', default: '1280' }, runs: { type: 'string', default: '1' }, threads: { type: 'string', default: '1' } },
  });
  const opts = { seconds: Number(values.seconds), width: Number(values.width), height: Number(values.height), runs: Number(values.runs), threads: Number(values.threads) };
  const loadAverageBefore = os.loadavg();
  const result = await measureTranscode(opts);
  console.log(`video of ${result.durationSec} s at ${opts.width}x${opts.height}, ${opts.threads} encoder thread(s), median of ${opts.runs} run(s):`);
  for (const f of result.figures) {
    const bytes = f.bytes === null ? '' : `${Math.round(f.bytes / 1024)} kB`;
    console.log(`  ${f.kind.padEnd(48)} ${String(f.seconds).padStart(7)} s  ${String(f.secondsPerOutputMinute).padStart(7)} s/output-min  ${String(f.cpuSecondsPerOutputMinute).padStart(7)} CPU s/output-min  ${bytes}`);
  }
  writeResult(fileURLToPath(new URL('./results/video-transcode.json', import.meta.url)), {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg() },
    options: opts,
    ...result,
  });
}
