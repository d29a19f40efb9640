/** Contacts, consent, segments and the CSV import: request and response schemas. */
import { z } from 'zod';
import { CAMPAIGN_CHANNELS, CONSENT_METHODS, CONSENT_STATUSES, segmentFilter } from '../campaigns';
import { IMPORT_FIELDS } from '../campaigns/import-fields';
import { normalizeEmail, normalizePhone, normalizeTags, normalizeTimezone, type FieldCheck } from '../campaigns/contact-fields';
import { storable, text } from './common';

const checked = (max: number, check: (value: string) => FieldCheck) =>
  text()
    .max(max)
    .transform((value, ctx) => {
      const result = check(value);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    });

const channel = z.enum(CAMPAIGN_CHANNELS);
const attributeValue = z.union([text().max(2000), z.number(), z.boolean(), z.null()]);
export const contactAttributes = storable(z.record(text().trim().min(1).max(100), attributeValue)).refine((a) => Object.keys(a).length <= 100, 'at most 100 attributes');
export const LOCALE_PATTERN = /^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

const contactFields = {
  name: text().trim().max(200).nullable(),
  firstName: text().trim().max(200).nullable(),
  lastName: text().trim().max(200).nullable(),
  email: checked(320, normalizeEmail).nullable(),
  /** E.164 (`+33612345678`); national formats are refused here (the CSV import takes a default country). */
  phone: checked(40, (v) => normalizePhone(v)).nullable(),
  messengerPsid: text().trim().min(1).max(100).nullable(),
  tags: z.array(text().max(100)).max(100).transform(normalizeTags),
  attributes: contactAttributes,
  timezone: checked(64, normalizeTimezone).nullable(),
  locale: text().regex(LOCALE_PATTERN, 'locale must look like "en" or "fr-CA"').max(35).nullable(),
};

/** Consent given with the contact: the method is the caller's kind (console or api), unless stated. */
const consentInput = z.partialRecord(channel, z.enum(CONSENT_STATUSES));

export const contactBody = z.object({ ...contactFields, consent: consentInput }).partial();
export type ContactBody = z.infer<typeof contactBody>;
export const contactPatch = contactBody;

export const consentRecord = z.object({
  status: z.enum(CONSENT_STATUSES),
  method: z.enum(CONSENT_METHODS),
  source: z.string().nullable(),
  optedInAt: z.string().nullable(),
  optedOutAt: z.string().nullable(),
  updatedAt: z.string(),
});

export const contactSchema = z.object({
  id: z.string(),
  /** The channel that created the contact (`api` for imported and API-made ones). */
  channel: z.string(),
  name: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  messengerPsid: z.string().nullable(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  timezone: z.string().nullable(),
  locale: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
  consent: z.partialRecord(channel, consentRecord),
});
export type ContactDto = z.infer<typeof contactSchema>;

export const contactQuery = z.object({
  /** Name, email or phone contains it (case-insensitive). */
  q: text().trim().max(200).optional(),
  tag: text().trim().max(100).optional(),
  segmentId: z.uuid({ message: 'segmentId must be a UUID' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: text().max(200).optional(),
});

export const contactPage = z.object({ items: z.array(contactSchema), nextCursor: z.string().nullable() });

export const consentParams = z.object({ id: z.uuid({ message: 'id must be a UUID' }), channel });
export const consentBody = z.object({
  status: z.enum(CONSENT_STATUSES),
  /** How it was given; defaults to `console` for signed-in users and `api` for API keys. */
  method: z.enum(['console', 'api', 'form', 'import']).optional(),
  source: text().trim().max(500).optional(),
});

export const segmentBody = z.object({
  name: text().trim().min(1, 'name is required').max(200),
  description: text().trim().max(2000).nullable().optional(),
  filter: segmentFilter,
});
export const segmentPatch = segmentBody.partial();
export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  filter: segmentFilter,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SegmentDto = z.infer<typeof segmentSchema>;
export const segmentList = z.object({ items: z.array(segmentSchema) });

export const audienceCountBody = z.object({ filter: segmentFilter });
export const audienceCount = z.object({ total: z.number().int(), reachable: z.record(channel, z.number().int()) });

export const importField = text()
  .max(120)
  .refine(
    (f) => f === '' || f === 'skip' || (IMPORT_FIELDS as readonly string[]).includes(f) || /^attributes\.[^.\s]{1,100}$/.test(f) || CAMPAIGN_CHANNELS.some((c) => f === `consent.${c}`),
    `a field must be one of ${IMPORT_FIELDS.join(', ')}, attributes.<key>, consent.<channel>, or "skip"`,
  );
/** column header → field. */
export const importMapping = z.record(text().max(200), importField);
export type ImportMapping = z.infer<typeof importMapping>;

export const importQuery = z.object({
  /** ISO 3166 country for phone numbers written without +country (e.g. `FR`). */
  defaultCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'defaultCountry must be a two-letter country code')
    .transform((c) => c.toUpperCase())
    .optional(),
});

export const MAX_IMPORT_REJECTIONS = 1000;
export const importResult = z.object({
  imported: z.number().int(),
  updated: z.number().int(),
  /** The first 1000 rejected rows (1 = the first data row), with the field and why. */
  rejected: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
  rejectedCount: z.number().int(),
  /** Rows that said opted in for a channel the contact had opted out of: the opt-out stands. */
  optOutsKept: z.number().int(),
  durationMs: z.number().int(),
});
export type ImportResult = z.infer<typeof importResult>;
