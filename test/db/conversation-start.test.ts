/**
 * What a conversation's start reads and writes (POST /v1/conversations, web chat): the latest
 * published version in one query (its graph from the pinned-flow cache), and the row in one INSERT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import { validateGraph } from '../../core/graph/validate';
import { Conversation, Flow } from '../../db/entities';
import { tenantEm, type Orm } from '../../db/orm';
import { createConversation, latestPublishedVersion, publishFlowVersion } from '../../db/repos';
import { requireConversationRef, requireLatestPinnedFlow } from '../../api/services/lookups';
import { makeTenant, testOrm } from './fixtures';

let orm: Orm;
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;

const graph = (text: string) =>
  validateGraph({
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'say', type: 'sendMessage', data: { text } },
      { id: 'end', type: 'end', data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'say' },
      { id: 'e2', source: 'say', target: 'end' },
    ],
    settings: { handoffKeywords: [] },
  }).graph!;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: AppError) => ({ code: err.code, field: err.field }),
  );

beforeAll(async () => {
  orm = await testOrm();
  [a, b] = await Promise.all([makeTenant(orm), makeTenant(orm)]);
});
afterAll(() => orm.close(true));

describe('a conversation start', () => {
  it('says which of flowId is wrong: unknown, unpublished, another tenant’s, or not a flow', async () => {
    const em = tenantEm(orm, a.tenantId);
    expect(await failure(requireLatestPinnedFlow(em, a.tenantId, a.flowId))).toEqual({ code: 'not_published', field: 'flowId' });
    expect(await failure(requireLatestPinnedFlow(em, a.tenantId, '00000000-0000-4000-8000-000000000000'))).toEqual({ code: 'not_found', field: 'flowId' });
    await publishFlowVersion(tenantEm(orm, b.tenantId), b.flowId, graph('B'));
    expect(await latestPublishedVersion(em, a.tenantId, b.flowId)).toBeNull();
    expect(await failure(requireLatestPinnedFlow(em, a.tenantId, b.flowId))).toEqual({ code: 'not_found', field: 'flowId' });
    // Another tenant's id passed with this tenant's name still finds nothing of the other's.
    expect(await latestPublishedVersion(em, b.tenantId, a.flowId)).toBeNull();
    await em.nativeUpdate(Flow, { id: a.flowId }, { kind: 'assistant' });
    await publishFlowVersion(em, a.flowId, graph('assistant'));
    try {
      expect(await latestPublishedVersion(em, a.tenantId, a.flowId)).toBeNull();
    } finally {
      await em.nativeUpdate(Flow, { id: a.flowId }, { kind: 'flow' });
    }
  });

  it('takes the latest published version, with its own graph', async () => {
    const em = tenantEm(orm, b.tenantId);
    const first = await requireLatestPinnedFlow(em, b.tenantId, b.flowId);
    await publishFlowVersion(em, b.flowId, graph('B2'));
    const second = await requireLatestPinnedFlow(tenantEm(orm, b.tenantId), b.tenantId, b.flowId);
    expect(second.version).toBe(first.version + 1);
    expect(second.graph.nodes.find((n) => n.id === 'say')?.data).toMatchObject({ text: 'B2' });
    expect(first.graph.nodes.find((n) => n.id === 'say')?.data).toMatchObject({ text: 'B' });
  });

  it('inserts the row without a flush, and its first turn finds it', async () => {
    const em = tenantEm(orm, b.tenantId);
    const created = await createConversation(em, b.tenantId, { flowId: b.flowId, flowVersion: 2, channel: 'webchat' });
    // Not managed: a later flush on the same session inserts nothing twice.
    await em.flush();
    const row = await tenantEm(orm, b.tenantId).findOneOrFail(Conversation, { id: created.id });
    expect(row).toMatchObject({ flow: b.flowId, flowVersion: 2, channel: 'webchat', workflowId: created.workflowId, status: 'bot', isTest: false });
    expect(await requireConversationRef(tenantEm(orm, b.tenantId), b.tenantId, created.id)).toMatchObject({ flowVersion: 2, workflowId: created.workflowId, isTest: false });
    expect(await failure(requireConversationRef(tenantEm(orm, a.tenantId), a.tenantId, created.id))).toEqual({ code: 'not_found', field: 'id' });
  });
});
