/**
 * Downloads a URL document's source. Any public host may be fetched (a knowledge base imports
 * from arbitrary web pages), but private, loopback and link-local addresses are refused unless the
 * host is listed explicitly in HTTP_ALLOWED_HOSTS or the tenant's allowlist: the http activities'
 * allowlist check with `*` added, applied to the URL and to every redirect hop. The body is read
 * as a stream so a file over the size limit, or of a type we cannot index, is refused without
 * downloading it whole.
 */
import { DEFAULT_MAX_BYTES, detectFormat, FORMAT_MIME, type DocumentFormat } from './extract';
import { assertHostAllowed, HostNotAllowedError } from '../net/allowlist';
import { lastPathSegment, MalformedUrlPathError } from '../core/knowledge/names';

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
  /** HTTP_ALLOWED_HOSTS ∪ the tenant's hosts. */
  allowed: string[];
  signal?: AbortSignal;
  fetch?: typeof fetch;
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
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new SourceFetchError(`"${url}" is not a valid web address.`, true);
  }
  try {
    return await download(target, { ...opts, maxBytes, signal });
  } catch (err) {
    if (err instanceof SourceFetchError) throw err;
    if (timeout.aborted && !opts.signal?.aborted) throw new SourceFetchError(`${target.host} did not send the file within ${timeoutMs / 1000} s.`, false);
    if (opts.signal?.aborted) throw err;
    // Connection refused / reset, DNS failures: often transient, so the activity retries them.
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new SourceFetchError(`Could not connect to ${target.host} (${cause}).`, false);
  }
}

async function download(start: URL, opts: FetchSourceOptions & { maxBytes: number; signal: AbortSignal }): Promise<FetchedSource> {
  const doFetch = opts.fetch ?? fetch;
  let target = start;
  for (let hop = 0; ; hop++) {
    // Checked before asking: a link whose name cannot be read is not worth a request.
    const fileName = fileNameOf(target);
    try {
      await assertHostAllowed(target, ['*', ...opts.allowed]);
    } catch (err) {
      if (err instanceof HostNotAllowedError) throw new SourceFetchError(`This link cannot be fetched: ${err.message}.`, true);
      throw err;
    }
    const res = await doFetch(target, { redirect: 'manual', signal: opts.signal });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new SourceFetchError(`The link redirects more than ${MAX_REDIRECTS} times.`, true);
      target = new URL(location, target);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      // Client errors other than timeouts and rate limits will not change on a retry.
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      throw new SourceFetchError(`${target.host} answered HTTP ${res.status} for this link${permanent ? ': check that it is right and public' : ''}.`, permanent);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > opts.maxBytes) {
      await res.body?.cancel();
      throw tooLarge(opts.maxBytes);
    }
    return readBody(res, fileName, opts);
  }
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

async function readBody(res: Response, fileName: string, opts: FetchSourceOptions & { maxBytes: number }): Promise<FetchedSource> {
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
      if (size > opts.maxBytes) {
        await reader!.cancel();
        throw tooLarge(opts.maxBytes);
      }
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
