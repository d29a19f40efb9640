/**
 * The form posts of SendGrid Inbound Parse and Mailgun Routes (multipart/form-data, or
 * urlencoded for Mailgun without attachments), and the shared helpers that turn their fields into
 * RFC 822. Multipart bodies are split by busboy into raw parts, so a text field is decoded in the
 * charset the sender names — SendGrid's `charsets` field, else the part's own `charset` — rather
 * than assumed UTF-8 (a Latin-1 mail would lose its accents); urlencoded bodies are UTF-8 by
 * definition and go through the platform's own `FormData` parser.
 */
import Busboy from '@fastify/busboy';
import type Mail from 'nodemailer/lib/mailer';
import type { z } from 'zod';
import { AppError } from '../../../core/errors';
import type { InboundRequest } from '../../types';
import { headerOf, mediaTypeOf } from '../../wire';

export interface FormFile {
  name?: string;
  contentType: string;
  data: Buffer;
}

export interface ParsedForm {
  field(name: string): string | undefined;
  file(name: string): FormFile | undefined;
}

const FORM_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded'];

/** Verification and parsing both read the form: it is parsed once per request. */
const parsedForms = new WeakMap<InboundRequest, Promise<ParsedForm>>();

export function readForm(request: InboundRequest, provider: string): Promise<ParsedForm> {
  let form = parsedForms.get(request);
  if (!form) {
    form = parseForm(request, provider);
    parsedForms.set(request, form);
  }
  return form;
}

interface RawPart {
  name: string;
  fileName?: string;
  contentType: string;
  data: Buffer;
}

/** Every part's bytes as sent: fields are decoded afterwards, once their charsets are known. */
function multipartParts(body: Buffer, contentType: string): Promise<RawPart[]> {
  return new Promise((resolve, reject) => {
    const parts: RawPart[] = [];
    let open = 0;
    let finished = false;
    const settle = () => finished && open === 0 && resolve(parts);
    const parser = Busboy({ headers: { 'content-type': contentType }, isPartAFile: () => true });
    parser.on('file', (name, stream, fileName, _encoding, mimeType) => {
      open++;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => {
        parts.push({ name, fileName: fileName || undefined, contentType: mimeType || 'text/plain', data: Buffer.concat(chunks) });
        open--;
        settle();
      });
    });
    parser.on('error', reject);
    parser.on('finish', () => {
      finished = true;
      settle();
    });
    parser.end(body);
  });
}

/** `bytes` in `charset`, or in UTF-8 when the label is one the platform does not know. */
function decode(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const charsetOf = (contentType: string) => /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1];

function fromParts(parts: RawPart[]): ParsedForm {
  const fields = new Map<string, RawPart>();
  const files = new Map<string, FormFile>();
  for (const part of parts) {
    if (part.fileName !== undefined) files.set(part.name, { name: part.fileName, contentType: part.contentType || 'application/octet-stream', data: part.data });
    else if (!fields.has(part.name)) fields.set(part.name, part);
  }
  // SendGrid names each text field's charset in one JSON field, e.g. {"text":"iso-8859-1","subject":"UTF-8"}.
  let charsets: Record<string, string> = {};
  const declared = fields.get('charsets');
  if (declared) {
    try {
      const parsed = JSON.parse(declared.data.toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) charsets = parsed;
    } catch {
      // An unreadable charsets field leaves every field UTF-8.
    }
  }
  return {
    field: (name) => {
      const part = fields.get(name);
      if (!part) return undefined;
      const charset = typeof charsets[name] === 'string' ? charsets[name] : charsetOf(part.contentType);
      return decode(part.data, charset);
    },
    file: (name) => files.get(name),
  };
}

async function parseForm(request: InboundRequest, provider: string): Promise<ParsedForm> {
  const mediaType = mediaTypeOf(request);
  if (!FORM_TYPES.includes(mediaType)) {
    throw new AppError('unsupported_media_type', `${provider} posts multipart/form-data or application/x-www-form-urlencoded`, { field: 'content-type' });
  }
  const contentType = headerOf(request, 'content-type') ?? '';
  if (mediaType === 'multipart/form-data') {
    try {
      return fromParts(await multipartParts(request.rawBody, contentType));
    } catch (err) {
      throw new AppError('bad_request', `the ${provider} form cannot be read: ${(err as Error).message}`, { field: 'body' });
    }
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(request.rawBody), { headers: { 'content-type': contentType } }).formData();
  } catch (err) {
    throw new AppError('bad_request', `the ${provider} form cannot be read: ${(err as Error).message}`, { field: 'body' });
  }
  return {
    field: (name) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : undefined;
    },
    file: () => undefined,
  };
}

/** Headers kept from the original message: its identity and threading, and what marks an auto-reply. */
export const KEPT_HEADERS = ['in-reply-to', 'references', 'auto-submitted', 'precedence'];

/** A field the provider always sends; a 400 naming it when it is missing. */
export function required(form: ParsedForm, name: string, provider: string): string {
  const value = form.field(name);
  if (value === undefined || value.trim() === '') throw new AppError('bad_request', `the ${provider} post has no ${name}`, { field: name });
  return value;
}

export async function composeMime(mail: Mail.Options): Promise<Buffer> {
  // Loaded at the first message composed: nodemailer is heavy, and most processes never build one.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  return new MailComposer(mail).compile().build();
}

/** Raw header block (`Name: value` lines, folded lines joined) → a lower-cased lookup. */
export function headerBlock(raw: string): (name: string) => string | undefined {
  const map = new Map<string, string>();
  for (const line of raw.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(colon + 1).trim());
  }
  return (name) => map.get(name);
}

/** A JSON-valued form field checked by `schema`; a 400 naming the field when it is not. */
export function parseJson<T>(value: string | undefined, schema: z.ZodType<T>, field: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new AppError('bad_request', `${field} is not JSON`, { field });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError('bad_request', `${field}: ${parsed.error.issues[0].message}`, { field });
  return parsed.data;
}
