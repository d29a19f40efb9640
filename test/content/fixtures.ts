/** Content objects of a tenant for the route sweep: a brand voice (templates hang off any channel). */
import type { Stack } from '../support/stack';

export async function contentObjects(stack: Stack, tenant: { apiKey: string }) {
  const res = await stack.request('POST', '/v1/brand-voices', { apiKey: tenant.apiKey, body: { name: 'Sweep voice', tone: 'plain' } });
  if (res.status !== 201) throw new Error(`POST /v1/brand-voices → ${res.status} ${JSON.stringify(res.body)}`);
  return { brandVoice: res.body.id as string };
}
