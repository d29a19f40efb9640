/**
 * Downloads a URL document's source through the guarded client. Any public host may be fetched
 * (a knowledge base imports from arbitrary web pages); internal addresses only as the operator's
 * policy allows (the flows' policy: OUTBOUND_ALLOWED_PRIVATE and hosts HTTP_ALLOWED_HOSTS names),
 * on the URL and on every redirect hop. The body is read as a stream so a file over the size
 * limit, or of a type we cannot index, is refused without downloading it whole.
 */
import { DEFAULT_MAX_BYTES, detectFormat, FORMAT_MIME, type DocumentFormat } from './extract';
import { lastPathSegment, MalformedUrlPathError } from '../core/knowledge/names';
import { OutboundRefusedError, type AddressPolicy } from '../net/address-policy';
import { guardedFetch, OutboundTimeoutError, ResponseTooLargeError, TooManyRedirectsError } from '../net/guarded-fetch';

export const FETCH_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;

/** What a fetch failure means for the uploader; `permanent` ones are not worth retrying. */
export class SourceFetchError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SourceFetchError';
  }
}

export interface FetchSourceOptions {
  policy: AddressPolicy;
  signal?: AbortSignal;
  /** Called per body chunk received (the activity heartbeats). */
  onProgress?: (bytes: number) => void;
  maxBytes?: number;
  timeoutMs?: number;
}

export interface FetchedSource {
  bytes: Buffer;
  mimeType: string;
}

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
const tooLarge = (max: number) => new SourceFetchError(`This file is larger than the ${mb(max)} limit. Split it into smaller files and add those.`, true);

export async function fetchSource(url: string, opts: FetchSourceOptions): Promise<FetchedSource> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? FETCH_TIMEOUT_MS;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new SourceFetchError(`"${url}" is not a valid web address.`, true);
  }
  try {
    return await download(target, { ...opts, maxBytes, timeoutMs });
  } catch (err) {
    if (err instanceof SourceFetchError) throw err;
    if (err instanceof OutboundRefusedError) throw new SourceFetchError(`This link cannot be fetched: ${err.message}.`, true);
    if (err instanceof TooManyRedirectsError) throw new SourceFetchError(`The link redirects more than ${MAX_REDIRECTS} times.`, true);
    if (err instanceof ResponseTooLargeError) throw tooLarge(maxBytes);
    if (isDeadline(err, opts.signal)) throw new SourceFetchError(`${target.host} did not send the file within ${timeoutMs / 1000} s.`, false);
    if (opts.signal?.aborted) throw err;
    // Connection refused / reset, DNS failures: often transient, so the activity retries them.
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new SourceFetchError(`Could not connect to ${target.host} (${cause}).`, false);
  }
}

/** The deadline passed: before the answer (the client's error) or while the body streamed (an abort). */
const isDeadline = (err: unknown, caller?: AbortSignal) =>
  err instanceof OutboundTimeoutError || (!caller?.aborted && ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError'));

async function download(start: URL, opts: FetchSourceOptions & { maxBytes: number; timeoutMs: number }): Promise<FetchedSource> {
  // Checked on every hop, before asking: a link whose name cannot be read is not worth a request.
  let fileName = fileNameOf(start);
  const res = await guardedFetch(
    start,
    { signal: opts.signal },
    { policy: opts.policy, timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes, maxRedirects: MAX_REDIRECTS, onHop: (hop) => void (fileName = fileNameOf(hop)) },
  );
  if (!res.ok) {
    await res.body?.cancel();
    // Client errors other than timeouts and rate limits will not change on a retry.
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    throw new SourceFetchError(`${start.host} answered HTTP ${res.status} for this link${permanent ? ': check that it is right and public' : ''}.`, permanent);
  }
  return readBody(res, fileName, opts);
}

/** The name detection reads the extension of; a path that does not decode (after a redirect, say) is refused. */
function fileNameOf(target: URL): string {
  try {
    return lastPathSegment(target);
  } catch (err) {
    if (err instanceof MalformedUrlPathError) throw new SourceFetchError(`This link cannot be fetched: ${err.message}.`, true);
    throw err;
  }
}

async function readBody(res: Response, fileName: string, opts: FetchSourceOptions): Promise<FetchedSource> {
  const mime = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  let format: DocumentFormat | null = null;
  const reader = res.body?.getReader();
  for (;;) {
    const next = reader ? await reader.read() : { done: true as const, value: undefined };
    if (next.value) {
      chunks.push(Buffer.from(next.value));
      size += next.value.byteLength;
      opts.onProgress?.(size);
    }
    // The first bytes carry the magic numbers detection needs for generic content types.
    if (format === null && (next.done || size > 0)) {
      format = detectFormat(Buffer.concat(chunks), mime, fileName);
      if (format === null) {
        await reader?.cancel();
        throw new SourceFetchError(
          `This link points to ${mime || 'a file of unknown type'}, which cannot be added to the knowledge base. Link to a PDF, Word (.docx), Markdown, HTML, CSV or plain-text file.`,
          true,
        );
      }
    }
    if (next.done) break;
  }
  return { bytes: Buffer.concat(chunks, size), mimeType: FORMAT_MIME[format!] };
}
