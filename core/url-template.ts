/**
 * `{{variable}}` placeholders in a URL (the httpRequest node's `url`), each value encoded for the
 * part of the URL it lands in, so a contact's answer cannot rewrite the request: `{{id}}` =
 * `../admin?x#` stays one path segment. Path, query and fragment values are percent-encoded as a
 * component (`/ ? # & = %` included); a value in the host must be a host name (and port); a path
 * segment made only of dots is refused, since URL parsers resolve `..` even when encoded.
 * Triple braces (`{{{raw}}}`) insert a value as written: the flow's author opts out explicitly.
 */
import { renderMustache } from './mustache-writer';

export class UrlTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlTemplateError';
  }
}

const MARK = '\u0000';
const HOST_VALUE = /^[a-z0-9.-]*(:\d{1,5})?$/i;

type Part = 'authority' | 'path' | 'query' | 'fragment';

/** Where text appended after `before` lands. */
function partAfter(before: string): Part {
  if (before.includes('#')) return 'fragment';
  if (before.includes('?')) return 'query';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(before);
  if (scheme && !before.slice(scheme[0].length).includes('/')) return 'authority';
  return 'path';
}

const asText = (value: unknown) => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));

export function renderUrlTemplate(template: string, variables: Record<string, unknown>): string {
  if (!template.includes('{{')) return template;
  const values: string[] = [];
  // Each escaped value is replaced by a marker first, so its place in the finished URL is known.
  const marked = renderMustache(template, variables, {
    escape: (value: unknown) => `${MARK}${values.push(asText(value)) - 1}${MARK}`,
  });
  // A raw ({{{…}}}) value carrying the marker character could pose as another value's place.
  if (marked.split(MARK).length !== values.length * 2 + 1) throw new UrlTemplateError('a value contains a NUL character');
  let out = '';
  let rest = marked;
  for (let at = rest.indexOf(MARK); at >= 0; at = rest.indexOf(MARK)) {
    const end = rest.indexOf(MARK, at + 1);
    out += rest.slice(0, at);
    const value = values[Number(rest.slice(at + 1, end))];
    rest = rest.slice(end + 1);
    out += encodeFor(partAfter(out), value, out, rest);
  }
  return out + rest;
}

function encodeFor(part: Part, value: string, before: string, after: string): string {
  if (part === 'authority') {
    if (!HOST_VALUE.test(value)) throw new UrlTemplateError(`"${value.slice(0, 40)}" is not a host name`);
    return value;
  }
  if (part === 'path' && /^\.+$/.test(value) && /(^|\/)$/.test(before) && /^($|[/?#])/.test(after)) {
    throw new UrlTemplateError(`"${value}" cannot be a path segment`);
  }
  return encodeURIComponent(value);
}
