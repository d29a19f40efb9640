/**
 * Presenter image checks, from the bytes alone: the format by its magic bytes (PNG or JPEG, never
 * the file name or the declared type), the size limit, and a face-sized resolution (each side
 * within AVATAR_MIN_SIDE..AVATAR_MAX_SIDE, no extreme aspect ratio). Dimensions come from the PNG
 * IHDR chunk or the JPEG start-of-frame marker, so nothing decodes an untrusted image.
 */
import { createHash } from 'node:crypto';
import { AVATAR_MAX_SIDE, AVATAR_MIN_SIDE } from '../core/renders';

export interface CheckedImage {
  contentType: 'image/png' | 'image/jpeg';
  ext: 'png' | 'jpg';
  width: number;
  height: number;
  sha256: string;
}

export type ImageCheck = { ok: true; image: CheckedImage } | { ok: false; reason: string };

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(b: Buffer): { width: number; height: number } | null {
  if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Walks the JPEG markers to the first start-of-frame (SOF0-SOF15 but DHT, JPG, DAC). */
function jpegSize(b: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    if (length < 2) return null;
    i += 2 + length;
  }
  return null;
}

export function checkPresenterImage(bytes: Buffer, maxBytes: number): ImageCheck {
  if (bytes.length === 0) return { ok: false, reason: 'the image is empty' };
  if (bytes.length > maxBytes) return { ok: false, reason: `the image is ${bytes.length} bytes, more than the ${maxBytes} allowed` };
  let format: Pick<CheckedImage, 'contentType' | 'ext'>;
  let size: { width: number; height: number } | null;
  if (bytes.subarray(0, 8).equals(PNG_MAGIC)) [format, size] = [{ contentType: 'image/png', ext: 'png' }, pngSize(bytes)];
  else if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) [format, size] = [{ contentType: 'image/jpeg', ext: 'jpg' }, jpegSize(bytes)];
  else return { ok: false, reason: 'the image must be a PNG or a JPEG (checked by its content, not its name)' };
  if (!size) return { ok: false, reason: `the ${format.ext.toUpperCase()} image is damaged: its size cannot be read` };
  const { width, height } = size;
  if (Math.min(width, height) < AVATAR_MIN_SIDE) return { ok: false, reason: `the image is ${width}x${height}: a face needs at least ${AVATAR_MIN_SIDE} pixels on each side` };
  if (Math.max(width, height) > AVATAR_MAX_SIDE) return { ok: false, reason: `the image is ${width}x${height}: at most ${AVATAR_MAX_SIDE} pixels on a side` };
  if (Math.max(width, height) / Math.min(width, height) > 3) return { ok: false, reason: `the image is ${width}x${height}: too narrow for a presenter (at most 3:1)` };
  return { ok: true, image: { ...format, width, height, sha256: createHash('sha256').update(bytes).digest('hex') } };
}
