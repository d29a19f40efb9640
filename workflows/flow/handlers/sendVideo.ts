/**
 * Send video: the render is claimed by its cache key (`prepareFlowVideo`: a finished one is sent
 * at once), its `videoRender` workflow started as an abandoned child when this claim must start it
 * (another caller may have started it already: then it is only waited for), and the run waits on
 * durable timers until the render is done — no activity runs meanwhile. The video goes out as
 * `rich.media` (video/mp4, a signed URL) with the caption; a failed render follows `error`.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, isCancellation } from '@temporalio/workflow';
import { renderTemplate } from '../../../core/template';
import { errorMessage } from '../errors';
import type { NodeHandler, Outcome } from '../types';

/** Between two looks at a render in progress. */
const POLL_MS = 5_000;

export const sendVideo: NodeHandler<'sendVideo'> = {
  async run(node, rt) {
    const { data } = node;
    const fail = (error: string): Outcome =>
      rt.graph.target(node.id, 'error') ? { kind: 'follow', handle: 'error', output: { error } } : { kind: 'fail', error: `video not sent: ${error}` };
    try {
      let renderId = data.renderId ?? '';
      if (data.source === 'render') {
        const script = renderTemplate(data.script ?? '', rt.variables).trim();
        const prepared = await rt.activities.call(node.id, 'prepareFlowVideo', {
          tenantId: rt.tenantId,
          avatarId: data.avatarId!,
          voiceProfileId: data.voiceProfileId ?? null,
          script,
          personalized: script !== (data.script ?? '').trim(),
          conversationId: rt.conversationId ?? null,
        });
        renderId = prepared.renderId;
        if (prepared.start) {
          await startChild('videoRender', { workflowId: prepared.workflowId, args: [prepared.input], parentClosePolicy: ParentClosePolicy.ABANDON }).catch((err) => {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          });
        }
      }
      for (;;) {
        const video = await rt.activities.call(node.id, 'videoForMessage', { tenantId: rt.tenantId, renderId });
        if (video.status === 'completed') {
          const caption = renderTemplate(data.text, rt.variables);
          await rt.say(node.id, caption || 'Video', 'template', undefined, undefined, { media: { url: video.url!, contentType: 'video/mp4', ...(video.posterUrl ? { posterUrl: video.posterUrl } : {}), ...(caption ? { caption } : {}) } });
          return { kind: 'follow', handle: 'next', output: { renderId } };
        }
        if (video.status !== 'running') return fail(video.error ?? `the render is ${video.status}`);
        await rt.sleep(POLL_MS);
      }
    } catch (err) {
      if (isCancellation(err)) throw err;
      return fail(errorMessage(err));
    }
  },
};
