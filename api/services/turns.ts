/** One contact message through the conversation workflow; shared by REST and the chat socket, both held to the messages-per-minute quota. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { pinnedFlow } from '../../temporal/pinned-flows';
import type { TurnResult } from '../../workflows/messages';
import type { AppDeps } from '../deps';
import { requireVersion, type ConversationRef } from './lookups';
import { testFlow } from './test-sessions';
import { turnDuration } from '../../metrics';
import { quotasOf } from './quotas';

export async function sendTurn(deps: AppDeps, em: EntityManager, tenantId: string, conversation: ConversationRef, text: string, idempotencyKey?: string): Promise<TurnResult> {
  // The tenant's messages-per-minute bucket, shared by every API process: over it, 429 with Retry-After (REST) or an error frame (socket).
  await quotasOf(deps).enforceMessage(tenantId);
  // A test conversation runs the draft it was started with, kept on its row.
  const flow = conversation.isTest
    ? await testFlow(em, conversation.id)
    : await pinnedFlow(tenantId, conversation.flow, conversation.flowVersion, () => requireVersion(em, conversation.flow, conversation.flowVersion));
  const stop = turnDuration.startTimer({ channel: conversation.channel });
  try {
    const result = await deps.workflows.conversation.turn(tenantId, conversation.id, flow, conversation.channel, text, idempotencyKey);
    stop({ outcome: 'replied' });
    return result;
  } catch (err) {
    stop({ outcome: 'failed' });
    throw err;
  }
}
