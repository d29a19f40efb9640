/**
 * The audit log's pure parts: which field names hold secrets (never written to the log), and the
 * difference between a resource before and after a change, as the list of paths that changed.
 */

/** Field names whose values are secrets wherever they appear in a body or a resource. */
const SECRET_FIELD = /(secret|password|token|apikey|api_key|credential|authorization|^key$|privatekey|signing)/i;
export const REDACTED = '[redacted]';

/** Long texts (a flow's prompt, a document) are cut: the log says what changed, not the whole of it. */
const MAX_TEXT = 500;
const MAX_DEPTH = 8;
export const MAX_CHANGES = 200;

/** A copy with secret fields replaced by REDACTED and long strings cut; safe to store and show. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redact(v, depth + 1);
  return out;
}

export interface AuditChange {
  /** Dotted path of the field (`graph.nodes.2.data.prompt`); empty for the whole value. */
  path: string;
  before?: unknown;
  after?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/**
 * The fields that differ between two values: objects and arrays are walked, each changed leaf is
 * one entry (at most MAX_CHANGES). Values are compared as they are and shown redacted, so a changed
 * secret shows as a change of REDACTED to REDACTED.
 */
export function diff(before: unknown, after: unknown): AuditChange[] {
  const changes: AuditChange[] = [];
  const shown = (key: string, v: unknown) => (SECRET_FIELD.test(key) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redact(v));
  const walk = (a: unknown, b: unknown, path: string, key: string) => {
    if (changes.length >= MAX_CHANGES) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], path ? `${path}.${k}` : k, k);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}.${i}`, key);
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    changes.push({ path, ...(a !== undefined && { before: shown(key, a) }), ...(b !== undefined && { after: shown(key, b) }) });
  };
  walk(before, after, '', '');
  return changes;
}
