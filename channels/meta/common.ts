/** Pieces both Meta adapters share: the Graph API location, common settings, timestamps. */
import { z } from 'zod';
import type { AdapterEnv } from '../types';
import type { GraphEnv } from './graph';

export const graphEnv = (env: AdapterEnv): GraphEnv => ({ baseUrl: env.config.META_GRAPH_URL, version: env.config.META_GRAPH_VERSION, fetch: env.fetch });

/** Outbound messages per second for one channel, shared by every worker (Redis limiter). */
export const sendRateSetting = z.number().positive().max(1000).optional();

export const secret = (name: string) => z.string().trim().min(1, `${name} is required`).max(1024);

/** Unix seconds (Meta's webhook timestamps) → ISO. */
export function isoFromUnix(value: unknown): string | undefined {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? new Date(n < 1e12 ? n * 1000 : n).toISOString() : undefined;
}
