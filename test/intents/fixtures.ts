import type { Stack } from '../support/stack';

/** An intent with examples in the tenant, for the route sweep and the body fuzzer. */
export async function intentObjects(stack: Stack, tenant: { apiKey: string }) {
  const res = await stack.request('POST', '/v1/intents', { apiKey: tenant.apiKey, body: { name: 'sweep_intent', examples: ['where is my card', 'my card has not arrived'] } });
  if (res.status !== 201) throw new Error(`POST /v1/intents → ${res.status} ${JSON.stringify(res.body)}`);
  return { intent: res.body.id as string };
}
