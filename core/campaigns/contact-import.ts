/**
 * One CSV row → the contact fields it sets, or the first problem with it (row, field, why). Pure:
 * the import service streams rows through it and hands the valid ones to the database in batches.
 * Empty cells set nothing, so a re-import with fewer columns never erases what is there.
 */
import { isCampaignChannel, type CampaignChannel } from './channels';
import type { ConsentStatus } from './consent';
import { normalizeEmail, normalizePhone, normalizeTags, normalizeTimezone } from './contact-fields';
import type { ImportField } from './import-fields';

export interface ImportedContact {
  /** `id:<the CSV's id>`, else `phone:<E.164>`, `email:<address>` or `psid:<Messenger id>`: a re-import updates the same contact. */
  key: string;
  name?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  messengerPsid?: string;
  tags?: string[];
  timezone?: string;
  locale?: string;
  attributes?: Record<string, string>;
  consent?: Partial<Record<CampaignChannel, ConsentStatus>>;
}

export interface RowRejection {
  row: number;
  field: string;
  message: string;
}

const YES = new Set(['yes', 'y', 'true', '1', 'opted_in', 'optedin', 'opt-in', 'optin', 'subscribed', 'x']);
const NO = new Set(['no', 'n', 'false', '0', 'opted_out', 'optedout', 'opt-out', 'optout', 'unsubscribed']);
const LOCALE = /^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

/** `fields[i]` is the field of column i ('skip' or '' for none). */
export function importRow(cells: readonly string[], fields: readonly string[], row: number, defaultCountry?: string): ImportedContact | RowRejection {
  const out: Omit<ImportedContact, 'key'> & { id?: string } = {};
  const reject = (field: string, message: string): RowRejection => ({ row, field, message });
  for (const [i, field] of fields.entries()) {
    const value = (cells[i] ?? '').trim();
    if (!value || !field || field === 'skip') continue;
    if (value.length > 2000) return reject(field, 'the cell is longer than 2000 characters');
    if (field.startsWith('attributes.')) {
      (out.attributes ??= {})[field.slice('attributes.'.length)] = value;
      continue;
    }
    if (field.startsWith('consent.')) {
      const channel = field.slice('consent.'.length);
      if (!isCampaignChannel(channel)) return reject(field, `unknown channel "${channel}"`);
      const v = value.toLowerCase();
      const status: ConsentStatus | null = YES.has(v) ? 'opted_in' : NO.has(v) ? 'opted_out' : null;
      if (!status) return reject(field, `"${value.slice(0, 40)}" is not a consent: use yes/no, true/false, opted_in/opted_out`);
      (out.consent ??= {})[channel] = status;
      continue;
    }
    switch (field as ImportField) {
      case 'email': {
        const r = normalizeEmail(value);
        if (!r.ok) return reject(field, r.message);
        out.email = r.value;
        break;
      }
      case 'phone': {
        const r = normalizePhone(value, defaultCountry);
        if (!r.ok) return reject(field, r.message);
        out.phone = r.value;
        break;
      }
      case 'timezone': {
        const r = normalizeTimezone(value);
        if (!r.ok) return reject(field, r.message);
        out.timezone = r.value;
        break;
      }
      case 'locale':
        if (!LOCALE.test(value)) return reject(field, `"${value.slice(0, 40)}" is not a locale (e.g. en, fr-CA)`);
        out.locale = value;
        break;
      case 'tags':
        out.tags = normalizeTags(value.split(/[,;|]/));
        break;
      case 'id':
      case 'name':
      case 'firstName':
      case 'lastName':
      case 'messengerPsid':
        out[field as 'id'] = value;
        break;
      default:
        return reject(field, `unknown field "${field}"`);
    }
  }
  const key = out.id ? `id:${out.id}` : out.phone ? `phone:${out.phone}` : out.email ? `email:${out.email}` : out.messengerPsid ? `psid:${out.messengerPsid}` : null;
  if (!key) return reject('phone', 'the row has no id, phone, email or Messenger id to know the contact by');
  const { id: _id, ...set } = out;
  return { key, ...set };
}

export { defaultField } from './import-fields';

export const isRejection = (r: ImportedContact | RowRejection): r is RowRejection => 'message' in r;

/** Later rows of the same contact in one batch merge over earlier ones (tags and attributes add up). */
export function mergeImported(a: ImportedContact, b: ImportedContact): ImportedContact {
  return {
    ...a,
    ...b,
    ...(a.tags || b.tags ? { tags: normalizeTags([...(a.tags ?? []), ...(b.tags ?? [])]) } : {}),
    ...(a.attributes || b.attributes ? { attributes: { ...a.attributes, ...b.attributes } } : {}),
    ...(a.consent || b.consent ? { consent: { ...a.consent, ...b.consent } } : {}),
  };
}
