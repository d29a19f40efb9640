/** Media store keys: tenant-scoped paths, `t/{tenantId}/…`, checked before any backend sees them. */

/** `t/{tenant}/…`: letters, digits, `-_.` in each part, no empty or dot-only parts (no traversal). */
const KEY_PATTERN = /^t\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;
export const MAX_KEY_LENGTH = 512;

export function isValidMediaKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && KEY_PATTERN.test(key) && !key.split('/').some((p) => p === '.' || p === '..');
}

export function assertMediaKey(key: string): void {
  if (!isValidMediaKey(key)) throw new Error(`invalid media key ${JSON.stringify(key.slice(0, 80))}: keys look like t/{tenantId}/path/file.ext`);
}

/** The tenant a key belongs to. */
export const tenantOfKey = (key: string): string | null => (isValidMediaKey(key) ? key.split('/')[1] : null);
