/**
 * Secrets at rest: AES-256-GCM, stored as `{keyVersion}:{iv}:{tag}:{data}` (base64url parts).
 * The version names the key that encrypted the value, so a new key can be introduced while
 * values written under the old one still decrypt; re-encrypting them is a background concern.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Config } from '../core/config';

export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
}

/** A 32-byte key given as 64 hex characters or base64 / base64url. */
export function parseSecretKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('secret key must be 32 bytes, given as 64 hex characters or base64');
  return key;
}

/** `keys` maps a version (`v1`, `v2`, …) to its key; new values are encrypted with `current`. */
export function createSecretBox(keys: Record<string, string | Buffer>, current?: string): SecretBox {
  const parsed = new Map(Object.entries(keys).map(([v, k]) => [v, typeof k === 'string' ? parseSecretKey(k) : k]));
  const version = current ?? [...parsed.keys()].at(-1);
  if (!version || !parsed.has(version)) throw new Error('no current secret key');
  for (const v of parsed.keys()) if (!/^v\d+$/.test(v)) throw new Error(`bad secret key version ${v}`);
  const currentKey = parsed.get(version)!;

  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [version, iv, cipher.getAuthTag(), data].map((x) => (typeof x === 'string' ? x : x.toString('base64url'))).join(':');
    },
    decrypt(ciphertext) {
      const parts = ciphertext.split(':');
      if (parts.length !== 4) throw new Error('malformed secret');
      const [v, iv, tag, data] = parts;
      const key = parsed.get(v);
      if (!key) throw new Error(`no key for secret version ${v}`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // GCM authentication failed: wrong key or tampered value. Never echo the value.
        throw new Error('secret could not be decrypted (tampered or wrong key)');
      }
    },
  };
}

type KeyConfig = Pick<Config, 'SWITCHBOARD_SECRET_KEY'> & Partial<Pick<Config, 'SWITCHBOARD_SECRET_KEY_VERSION' | 'SWITCHBOARD_PREVIOUS_SECRET_KEYS'>>;

/**
 * The platform's box: `SWITCHBOARD_SECRET_KEY` is key `SWITCHBOARD_SECRET_KEY_VERSION` (v1 by
 * default) and encrypts; `SWITCHBOARD_PREVIOUS_SECRET_KEYS` (`v1:<key>,…`) only decrypt, until
 * `npm run secrets:rekey` has re-encrypted everything under the current key.
 */
export function secretBoxFromConfig(config: KeyConfig): SecretBox {
  if (!config.SWITCHBOARD_SECRET_KEY) throw new Error('SWITCHBOARD_SECRET_KEY is not set: secrets cannot be encrypted or decrypted');
  const version = config.SWITCHBOARD_SECRET_KEY_VERSION ?? 'v1';
  const keys: Record<string, string> = {};
  for (const entry of config.SWITCHBOARD_PREVIOUS_SECRET_KEYS ?? []) {
    const [v, key] = entry.split(/:(.*)/s);
    if (!key) throw new Error('SWITCHBOARD_PREVIOUS_SECRET_KEYS entries look like v1:<key>');
    keys[v.trim()] = key;
  }
  return createSecretBox({ ...keys, [version]: config.SWITCHBOARD_SECRET_KEY }, version);
}

/** The key version a stored secret was encrypted with. */
export const secretVersion = (ciphertext: string) => ciphertext.split(':', 1)[0];
