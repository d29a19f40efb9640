/**
 * The form posts of SendGrid Inbound Parse and Mailgun Routes (multipart/form-data, or
 * urlencoded for Mailgun without attachments), read with the platform's own `FormData` parser
 * (undici's `Response.formData`), and the shared helpers that turn their fields into RFC 822.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
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

async function parseForm(request: InboundRequest, provider: string): Promise<ParsedForm> {
  if (!FORM_TYPES.includes(mediaTypeOf(request))) {
    throw new AppError('unsupported_media_type', `${provider} posts multipart/form-data or application/x-www-form-urlencoded`, { field: 'content-type' });
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(request.rawBody), { headers: { 'content-type': headerOf(request, 'content-type') ?? '' } }).formData();
  } catch (err) {
    throw new AppError('bad_request', `the ${provider} form cannot be read: ${(err as Error).message}`, { field: 'body' });
  }
  const files = new Map<string, FormFile>();
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => entries.push([name, value]));
  for (const [name, value] of entries) {
    if (typeof value === 'string') continue;
    files.set(name, { name: value.name || undefined, contentType: value.type || 'application/octet-stream', data: Buffer.from(await value.arrayBuffer()) });
  }
  return {
    field: (name) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : undefined;
    },
    file: (name) => files.get(name),
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

export function composeMime(mail: Mail.Options): Promise<Buffer> {
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
