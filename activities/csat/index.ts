/**
 * The `csat` node's storage: a rating row (idempotent on the node's key) and the `csat.submitted`
 * event, queued under a job id derived from the row, so a retried activity announces it once.
 * Test conversations' ratings are stored (the builder shows them) but not announced.
 */
import { stripUnstorableDeep } from '../../core/text';
import { tenantEm } from '../../db/orm';
import { commentCsatResponse, csatEventData, insertCsatResponse, type CsatRow } from '../../db/repos';
import type { ActivityDeps } from '../deps';
import { queueEvent, subjectJobId } from '../events';
import type { CsatActivities } from './types';

export function csatActivities({ orm, eventsQueue }: ActivityDeps): CsatActivities {
  async function announce(tenantId: string, workflowId: string, row: CsatRow | null): Promise<void> {
    if (!row || row.isTest) return;
    await queueEvent(eventsQueue, { tenantId, workflowId, type: 'csat.submitted', data: csatEventData(row) }, subjectJobId(tenantId, 'csat.submitted', row.id));
  }

  return {
    async recordCsat(input) {
      const em = tenantEm(orm, input.tenantId);
      const row = await insertCsatResponse(em, input.tenantId, {
        conversationId: input.conversationId,
        key: input.key,
        nodeId: input.nodeId,
        scale: input.scale,
        score: input.score,
        answer: stripUnstorableDeep(input.answer).slice(0, 4096),
      });
      if (input.final) await announce(input.tenantId, input.workflowId, row);
      return { responseId: row?.id ?? null };
    },

    async completeCsat(input) {
      const comment = input.comment === null ? null : stripUnstorableDeep(input.comment).slice(0, 4096);
      const row = await commentCsatResponse(tenantEm(orm, input.tenantId), input.tenantId, { conversationId: input.conversationId, nodeId: input.nodeId, comment });
      await announce(input.tenantId, input.workflowId, row);
    },
  };
}
