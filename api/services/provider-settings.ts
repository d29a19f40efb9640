/**
 * What the tenant's provider settings (language model, embeddings, reranker) share: keys are
 * encrypted at rest (db/secrets.ts) and never leave the server, an omitted key keeps the stored
 * one, and a connection test makes one tiny call and reports it in words, never with the key.
 */
import OpenAI from 'openai';
import type { Config } from '../../core/config';
import { AppError } from '../../core/errors';
import { secretBoxFromConfig } from '../../db/secrets';

/** How long a connection test waits for the provider. */
export const TEST_TIMEOUT_MS = 15_000;

export interface StoredEndpoint {
  baseURL: string;
  model: string;
  apiKeyEncrypted: string;
}

export interface EndpointForm {
  baseURL?: string;
  model?: string;
  apiKey?: string;
}

export interface TestResult {
  ok: boolean;
  detail: string;
  latencyMs: number;
}

/** The endpoint as the API shows it: everything but the key, which is only said to be set. */
export const endpointView = (stored: StoredEndpoint) => ({ baseURL: stored.baseURL, model: stored.model, apiKeySet: !!stored.apiKeyEncrypted });

/**
 * The encrypted key to store for a form's `apiKey`: a sent key is encrypted ("" = no key, for
 * servers without one), an omitted one keeps the stored key; a new endpoint must send one.
 */
export function keptKey(config: Config, sent: string | undefined, stored: StoredEndpoint | undefined, field: string): string {
  if (sent !== undefined) return sent ? secretBoxFromConfig(config).encrypt(sent) : '';
  if (stored) return stored.apiKeyEncrypted;
  throw new AppError('bad_request', 'apiKey is required for a new endpoint (send "" for servers without a key)', { field });
}

/** The endpoint a test calls: the form's fields where given, else the stored ones (its key decrypted). */
export function testEndpoint(config: Config, stored: StoredEndpoint | undefined, form: EndpointForm, what: string) {
  const baseURL = form.baseURL ?? stored?.baseURL;
  const model = form.model ?? stored?.model;
  if (!baseURL || !model) throw new AppError('bad_request', `no ${what} is configured: send baseURL and model`, { field: 'baseURL' });
  let apiKey = form.apiKey;
  if (apiKey === undefined && stored?.apiKeyEncrypted) apiKey = secretBoxFromConfig(config).decrypt(stored.apiKeyEncrypted);
  return { baseURL, model, apiKey: apiKey ?? '' };
}

/** True when the request never got an answer (refused, unresolvable, timed out), as opposed to an answer that was wrong. */
function unreachable(err: unknown): boolean {
  if (err instanceof OpenAI.APIConnectionError || err instanceof OpenAI.APIUserAbortError) return true;
  const name = (err as { name?: string }).name;
  return name === 'TimeoutError' || name === 'AbortError' || (err instanceof TypeError && /fetch failed/i.test(err.message));
}

/** Runs `call` (which says what came back) and times it; a failure becomes a sentence, not an exception. */
export async function timedTest(baseURL: string, call: () => Promise<string>): Promise<TestResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const detail = await call();
    return { ok: true, detail, latencyMs: latency() };
  } catch (err) {
    const status = (err as { status?: number }).status;
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    const message = [(err as Error).message ?? String(err), cause].filter(Boolean).join(': ');
    const detail = status ? `the provider answered ${status}: ${message}` : unreachable(err) ? `could not reach ${baseURL}: ${message}` : message;
    return { ok: false, detail, latencyMs: latency() };
  }
}
