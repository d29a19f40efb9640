/**
 * Inbound attachment downloads, capped: the bytes end up in a Postgres row, so a file past the
 * channel media limit is refused as soon as its Content-Length (or, without one, the stream)
 * says so, and never buffered whole. The refusal is permanent: the file is marked failed.
 * Downloads run after the message reached its conversation (workflows/fetchInboundMedia.ts).
 */
import { hostListed } from '../net/address-policy';
import { isPermanentRefusal } from '../net/guarded-fetch';
import { ProviderError, type MediaLimits } from './types';

export const tooLargeError = (size: number | string, maxBytes: number) =>
  new ProviderError(`the attachment is larger (${size} bytes) than the ${maxBytes}-byte limit (CHANNEL_MEDIA_MAX_BYTES): not stored`, false, { code: 'too_large' });

/** The response body, or a permanent ProviderError once it passes `maxBytes` (the download is aborted). */
export async function readCapped(res: Response, { maxBytes }: MediaLimits): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLargeError(declared, maxBytes);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (err) {
      throw new ProviderError(`attachment download failed: ${(err as Error).message}`, true);
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLargeError(`more than ${maxBytes}`, maxBytes);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * An attachment URL a webhook names must be on the provider's media hosts (MESSENGER_MEDIA_HOSTS,
 * TWILIO_MEDIA_HOSTS): a signed webhook proves only the tenant's own secret, not where the file is.
 */
export function assertMediaHost(url: string, hosts: readonly string[]): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new ProviderError('the attachment URL is not a valid URL', false, { code: 'host_refused' });
  }
  if (!hostListed(target.hostname, hosts)) throw new ProviderError(`attachment host ${target.hostname} is not one of the provider's media hosts`, false, { code: 'host_refused' });
  return target;
}

/** A request that got no usable answer: retryable, unless the guarded client refused it for good. */
export const unreachableError = (what: string, err: unknown) =>
  new ProviderError(`${what}: ${(err as Error).message}`, !isPermanentRefusal(err), isPermanentRefusal(err) ? { code: 'refused' } : {});
