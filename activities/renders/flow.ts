/**
 * The sendVideo node's activities: a render request from a flow (claimed like the API's, so an
 * identical script renders once for every contact) and a render as a message carries it.
 */
import { Conversation } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { getVideoRender } from '../../db/repos/renders';
import { prepareRender } from '../../renders/store';
import type { SwitchboardActivities } from '../types';
import type { RenderContext } from './context';

type Acts = Pick<SwitchboardActivities, 'prepareFlowVideo' | 'videoForMessage'>;

export function flowVideoActivities(ctx: RenderContext): Acts {
  return {
    async prepareFlowVideo(input) {
      const em = tenantEm(ctx.deps.orm, input.tenantId);
      // A personalized script is the contact's data: its render goes when the contact is erased.
      const contactId = input.personalized && input.conversationId ? ((await em.findOne(Conversation, { id: input.conversationId }))?.contact ?? null) : null;
      const prepared = await prepareRender(ctx.deps, input.tenantId, {
        title: 'Flow video',
        script: { type: 'text', text: input.script },
        avatarId: input.avatarId,
        voiceProfileId: input.voiceProfileId,
        settings: { captions: true },
        contactId,
        createdBy: 'flow',
      });
      return { renderId: prepared.row.id, workflowId: prepared.row.workflowId, start: prepared.action !== 'cached', input: prepared.input };
    },

    async videoForMessage(input) {
      const row = await getVideoRender(tenantEm(ctx.deps.orm, input.tenantId), input.renderId);
      if (!row) return { status: 'missing', error: 'the render does not exist (any more)' };
      if (row.status !== 'completed' || !row.outputs) return { status: row.status, ...(row.error ? { error: row.error } : {}) };
      const store = ctx.store();
      const ttl = ctx.deps.config.MEDIA_URL_TTL_SECONDS;
      return { status: 'completed', url: await store.signedUrl(row.outputs.mp4, ttl), posterUrl: await store.signedUrl(row.outputs.poster, ttl) };
    },
  };
}
