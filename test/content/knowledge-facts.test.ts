/**
 * A brief's `knowledgeBaseId`: the knowledge base's best passages for the goal join the facts the
 * model is given (and the offline writer lists in the email), on the real stack with a worker
 * that ingests the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

let stack: Stack;
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ model: 'gpt-facts' });
  stack = await startStack(sharedServers());
});
afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

async function menuKnowledgeBase(apiKey: string) {
  const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Menu' } });
  const doc = await stack.request('POST', `/v1/knowledge-bases/${kb.body.id}/documents`, {
    apiKey,
    body: { name: 'Tasting menu', text: 'The tasting menu has burrata, tagliatelle al ragù and tiramisù, with paired Tuscan wines.' },
  });
  await waitUntil(async () => (await stack.request('GET', `/v1/documents/${doc.body.id}`, { apiKey })).body.status === 'ready', 60_000, 'menu ready');
  return kb.body.id as string;
}

const brief = (knowledgeBaseId: string) => ({ goal: 'Announce the tasting menu', channels: ['email'], knowledgeBaseId, variants: 1 });

describe('facts from a knowledge base', () => {
  it('reach the model as facts', async () => {
    const { apiKey } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1`, model: 'gpt-facts' } });
    const kb = await menuKnowledgeBase(apiKey);
    fake.enqueue({ content: JSON.stringify({ variants: [{ email: { subject: 'Tasting menu', preheader: 'Burrata, ragù and tiramisù on Fridays', text: 'Burrata, tagliatelle al ragù and tiramisù.' } }] }) });
    const res = await stack.request('POST', '/v1/content/generate', { apiKey, body: { brief: brief(kb) } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const user = fake.chatRequests.at(-1)!.body.messages[1].content as string;
    expect(user).toMatch(/Facts:\n- The tasting menu has burrata, tagliatelle al ragù and tiramisù/);
  });

  it('are listed by the offline writer', async () => {
    const { apiKey } = await stack.createTenant();
    const kb = await menuKnowledgeBase(apiKey);
    const res = await stack.request('POST', '/v1/content/generate', { apiKey, body: { brief: brief(kb) } });
    expect(res.body.generatedBy).toBe('template-writer');
    expect(res.body.variants[0].content.email.text).toContain('- The tasting menu has burrata');
  });
});
