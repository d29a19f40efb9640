/** Media files made with ffmpeg for the video tests (test patterns, tones, silence, speech). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);

/** A test pattern with a tone (or silence, or nothing) as H.264 + AAC MP4. */
export function makeClip(dir: string, name: string, opts: { seconds: number; width?: number; height?: number; audio?: 'tone' | 'silence' | 'none'; noise?: boolean }): string {
  const out = join(dir, name);
  const size = `${opts.width ?? 320}x${opts.height ?? 240}`;
  const audio = opts.audio ?? 'tone';
  const audioIn = audio === 'tone' ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'] : audio === 'silence' ? ['-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo'] : [];
  ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, ...audioIn,
    ...(opts.noise ? ['-vf', 'noise=alls=60:allf=t'] : []),
    '-t', String(opts.seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...(audio === 'none' ? [] : ['-c:a', 'aac']), '-shortest', out,
  ]);
  return out;
}

/** A still picture standing in for an avatar. */
export function makeImage(dir: string, name: string, width = 512, height = 512): string {
  const out = join(dir, name);
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}`, '-frames:v', '1', out]);
  return out;
}

/** Speech from espeak-ng (the offline voice), as WAV. */
export function makeSpeech(dir: string, name: string, text: string): string {
  const out = join(dir, name);
  execFileSync('espeak-ng', ['-w', out, text]);
  return out;
}

/** The top-level boxes of an MP4 file, in order. */
export function mp4Boxes(data: Buffer): string[] {
  const boxes: string[] = [];
  for (let at = 0; at + 8 <= data.length; ) {
    let size = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    if (size === 1) size = Number(data.readBigUInt64BE(at + 8));
    if (size === 0) size = data.length - at;
    boxes.push(type);
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

/** Width and height of a baseline/progressive JPEG (its SOF marker). */
export function jpegSize(data: Buffer): [number, number] {
  for (let at = 2; at < data.length; ) {
    const marker = data[at + 1];
    const length = data.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return [data.readUInt16BE(at + 7), data.readUInt16BE(at + 5)];
    at += 2 + length;
  }
  throw new Error('no SOF marker');
}
