/** Campaigns made through the API for tests: drafts with content, contacts to preview and send to. */
import { expect } from 'vitest';
import type { CampaignChannel, CampaignVariant, VariantContent } from '../../core/campaigns';
import { Contact } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { optIn } from '../../db/repos';
import type { Stack } from '../support/stack';

export const variant = (id: string, content: VariantContent): CampaignVariant => ({ id, content, generatedBy: 'edited', warnings: [] });
export const smsVariant = (id: string, text: string) => variant(id, { sms: { text } });

/** A draft with an SMS variant A (and B when given): ready to submit. */
export async function draftCampaign(stack: Stack, apiKey: string, body: Record<string, unknown> = {}, texts = ['Hi {{contact.firstName|there}}, our tasting menu is back on Friday. Reply STOP to opt out']) {
  const created = await stack.request('POST', '/v1/campaigns', { apiKey, body: { name: 'Tasting menu', channels: ['sms'], brief: { goal: 'Fill Friday', channels: ['sms'] }, ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const ids = ['A', 'B', 'C', 'D'];
  const patched = await stack.request('PATCH', `/v1/campaigns/${created.body.id}`, { apiKey, body: { variants: texts.map((t, i) => smsVariant(ids[i], t)) } });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  return patched.body as { id: string; status: string; variants: CampaignVariant[] };
}

/** A contact who opted in on the given channels. */
export async function optedInContact(stack: Stack, tenantId: string, fields: Partial<Pick<Contact, 'firstName' | 'lastName' | 'name' | 'phone' | 'email' | 'attributes'>>, channels: CampaignChannel[] = ['sms']) {
  const em = tenantEm(stack.orm, tenantId);
  const contact = em.create(Contact, { tenant: tenantId, channel: 'api', externalId: null, attributes: {}, ...fields });
  await em.flush();
  for (const channel of channels) await optIn(em, contact.id, channel, { method: 'api' });
  return contact;
}

/** Tenant B's campaigns for the route sweep: a draft with content, and one awaiting approval. */
export async function campaignObjects(stack: Stack, tenant: { apiKey: string }) {
  const draft = await draftCampaign(stack, tenant.apiKey);
  const queued = await draftCampaign(stack, tenant.apiKey, { name: 'Queued for approval' });
  const submitted = await stack.request('POST', `/v1/campaigns/${queued.id}/submit`, { apiKey: tenant.apiKey });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return { campaign: draft.id, queuedCampaign: queued.id };
}
