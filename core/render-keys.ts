/** Render and speech cache keys (SHA-256 over stable JSON): API and activities only, never the workflow bundle. */
import { createHash } from 'node:crypto';
import type { RenderKeyParts } from './renders';

/** Stable JSON (sorted keys) so the same request always hashes the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const renderCacheKey = (parts: RenderKeyParts) => createHash('sha256').update(stableJson(parts)).digest('hex');

/** The speech file's key part: text + voice, so two renders with the same words share one synthesis. */
export const speechHash = (text: string, voice: RenderKeyParts['voice']) => createHash('sha256').update(stableJson({ text, voice })).digest('hex');

