/**
 * Document names derived from what a person sent: the file name of an upload, the last path
 * segment of a URL. Both must fit the name column, and a link's path must decode.
 */

/** The longest document name: what the `name` field accepts, well inside `documents.name` varchar(255). */
export const MAX_DOCUMENT_NAME = 200;

/** A URL path whose percent-encoding does not decode (`%E0%A4%A`, a lone `%`). */
export class MalformedUrlPathError extends Error {
  constructor(readonly segment: string) {
    super(`the link's path has malformed percent-encoding ("${segment}"): encode "%" as "%25"`);
    this.name = 'MalformedUrlPathError';
  }
}

/** The decoded last non-empty segment of a URL's path ('' for `/`). */
export function lastPathSegment(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MalformedUrlPathError(segment);
  }
}

/**
 * Shortens a derived name to `max` characters, keeping its extension (which says what the file
 * is) and marking the cut with an ellipsis. Counts code points, so no emoji is split in half.
 */
export function fitName(name: string, max = MAX_DOCUMENT_NAME): string {
  const chars = [...name.trim()];
  if (chars.length <= max) return chars.join('');
  const dot = chars.lastIndexOf('.');
  const ext = dot > 0 && chars.length - dot <= 10 ? chars.slice(dot) : [];
  return [...chars.slice(0, max - ext.length - 1), '…', ...ext].join('');
}
