import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretKey, secretBoxFromConfig } from '../../db/secrets';

const hexKey = randomBytes(32).toString('hex');

describe('secrets', () => {
  it('round-trips with a versioned format and a fresh IV each time', () => {
    const box = secretBoxFromConfig({ SWITCHBOARD_SECRET_KEY: hexKey });
    const a = box.encrypt('sk-live-123');
    expect(a).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(a).not.toContain('sk-live');
    expect(box.encrypt('sk-live-123')).not.toBe(a);
    expect(box.decrypt(a)).toBe('sk-live-123');
  });

  it('accepts hex and base64 keys of 32 bytes only', () => {
    const raw = randomBytes(32);
    expect(parseSecretKey(raw.toString('hex'))).toEqual(raw);
    expect(parseSecretKey(raw.toString('base64'))).toEqual(raw);
    expect(() => parseSecretKey('short')).toThrow(/32 bytes/);
  });

  it('detects tampering and wrong keys', () => {
    const box = createSecretBox({ v1: hexKey });
    const [v, iv, tag, data] = box.encrypt('hello').split(':');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.decrypt([v, iv, tag, flipped.toString('base64url')].join(':'))).toThrow(/tampered/);
    expect(() => createSecretBox({ v1: randomBytes(32) }).decrypt(box.encrypt('hello'))).toThrow(/tampered or wrong key/);
    expect(() => box.decrypt('garbage')).toThrow(/malformed/);
  });

  it('rotates: old values decrypt, new values use the current key', () => {
    const old = createSecretBox({ v1: hexKey });
    const rotated = createSecretBox({ v1: hexKey, v2: randomBytes(32) });
    const legacy = old.encrypt('legacy');
    expect(rotated.decrypt(legacy)).toBe('legacy');
    expect(rotated.encrypt('new')).toMatch(/^v2:/);
  });
});
