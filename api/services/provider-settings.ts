/**
 * What the tenant's provider settings (language model, embeddings, reranker) share: keys are
 * encrypted at rest (db/secrets.ts) and never leave the server, an omitted key keeps the stored
 * one, but only for the stored endpoint (a stored key never follows a changed baseURL), a baseURL
 * must pass the address policy (net/address-policy.ts), and a connection test makes one tiny call
 * and reports it as one of a fixed set of outcomes: never the remote body, banner or error text.
 */
import type { Config } from '../../core/config';
import { AppError } from '../../core/errors';
import { secretBoxFromConfig } from '../../db/secrets';
import { configPolicy, OutboundRefusedError, resolveChecked, type AddressPolicy } from '../../net/address-policy';
import { OutboundTimeoutError, refusalIn } from '../../net/guarded-fetch';
import { openaiSdk } from '../../llm/openai-client';

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

const sameEndpoint = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

const keyFollowsError = (field: string) =>
  new AppError('bad_request', 'the stored key is only sent to the stored baseURL: send apiKey with a new baseURL ("" for servers without one)', { field });

/**
 * The encrypted key to store for a form's `apiKey`: a sent key is encrypted ("" = no key, for
 * servers without one), an omitted one keeps the stored key if the endpoint is the stored one; a
 * new endpoint must send one.
 */
export function keptKey(config: Config, sent: string | undefined, stored: StoredEndpoint | undefined, field: string, baseURL: string): string {
  if (sent !== undefined) return sent ? secretBoxFromConfig(config).encrypt(sent) : '';
  if (stored && sameEndpoint(stored.baseURL, baseURL)) return stored.apiKeyEncrypted;
  if (stored) throw keyFollowsError(field);
  throw new AppError('bad_request', 'apiKey is required for a new endpoint (send "" for servers without a key)', { field });
}

/**
 * Refuses (400 naming the field) a baseURL whose host the address policy refuses: an internal
 * address the operator has not allow-listed. A host that does not resolve now is left to the
 * connection test; the policy is applied again on every connection.
 */
export async function checkBaseUrls(config: Config, urls: [field: string, baseURL: string][]): Promise<void> {
  for (const [field, baseURL] of urls) {
    try {
      await resolveChecked(configPolicy(config), new URL(baseURL).hostname);
    } catch (err) {
      if (err instanceof OutboundRefusedError) throw new AppError('bad_request', `${field}: ${err.message}; the operator can allow it with OUTBOUND_ALLOWED_PRIVATE`, { field });
    }
  }
}

/** The endpoint a test calls: the form's fields where given, else the stored ones (its key decrypted only for the stored baseURL). */
export function testEndpoint(config: Config, stored: StoredEndpoint | undefined, form: EndpointForm, what: string): { baseURL: string; model: string; apiKey: string; policy: AddressPolicy } {
  const baseURL = form.baseURL ?? stored?.baseURL;
  const model = form.model ?? stored?.model;
  if (!baseURL || !model) throw new AppError('bad_request', `no ${what} is configured: send baseURL and model`, { field: 'baseURL' });
  let apiKey = form.apiKey;
  if (apiKey === undefined && stored?.apiKeyEncrypted) {
    if (!sameEndpoint(stored.baseURL, baseURL)) throw keyFollowsError('apiKey');
    apiKey = secretBoxFromConfig(config).decrypt(stored.apiKeyEncrypted);
  }
  return { baseURL, model, apiKey: apiKey ?? '', policy: configPolicy(config) };
}

/** True when the request never got an answer (refused, unresolvable, timed out), as opposed to an answer that was wrong. */
function unreachable(err: unknown): boolean {
  const { APIConnectionError, APIUserAbortError } = openaiSdk();
  if (err instanceof APIConnectionError || err instanceof APIUserAbortError || err instanceof OutboundTimeoutError) return true;
  const name = (err as { name?: string }).name;
  return name === 'TimeoutError' || name === 'AbortError' || (err instanceof TypeError && /fetch failed/i.test(err.message));
}

/**
 * Runs `call` (which says what came back, in words of our own) and times it. A failure becomes
 * one of: refused by the address policy, no answer (every network failure alike, so the test is
 * no port scanner), the provider's HTTP status, or an answer that was not understood.
 */
export async function timedTest(baseURL: string, call: () => Promise<string>): Promise<TestResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const detail = await call();
    return { ok: true, detail, latencyMs: latency() };
  } catch (err) {
    const refused = refusalIn(err);
    const status = (err as { status?: number }).status;
    const detail = refused instanceof OutboundRefusedError
      ? `refused: ${refused.message}`
      : refused
        ? `could not use the answer of ${baseURL}: it was too large or redirected too often`
        : typeof status === 'number' && status >= 100 && status < 600
          ? `the provider answered HTTP ${status}`
          : unreachable(err)
            ? `could not reach ${baseURL}`
            : `the provider's answer was not understood`;
    return { ok: false, detail, latencyMs: latency() };
  }
}
