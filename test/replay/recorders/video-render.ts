/**
 * `videoRender` recordings: a D-ID render whose wait is ended by the webhook's signal (one check
 * said "still rendering" at the poll before it), and an offline render whose result fails quality
 * control (the row is failed with the reason and its class).
 */
import { ApplicationFailure } from '@temporalio/common';
import { videoRenderWorkflowId } from '../../../core/ids';
import { providerDoneSignal, type VideoRenderInput } from '../../../workflows/messages';
import type { videoRender } from '../../../workflows/videoRender';
import { expectPath, type Recorder } from './types';

const input = (renderId: string, provider: VideoRenderInput['provider']): VideoRenderInput => ({ tenantId: 't1', renderId, attempt: 1, provider, pollSeconds: 1, timeoutMinutes: 30 });

export const videoRenderRecorders: Record<string, Recorder> = {
  'video-render-d-id-webhook': {
    async record(ctx) {
      let checks = 0;
      ctx.h.fakes.impl.checkProviderRender = async ({ renderId }) => (++checks === 1 ? { resultUrl: null, status: 'started' } : { resultUrl: `https://d-id.example/results/${renderId}.mp4`, status: 'done' });
      const args = input('r-did', 'd-id');
      const handle = await ctx.h.client.workflow.start<typeof videoRender>('videoRender', { workflowId: videoRenderWorkflowId(args.tenantId, args.renderId, 1), taskQueue: ctx.h.taskQueue, args: [args] });
      // After the first poll said "started", the webhook's signal ends the next wait early.
      while (checks < 1) await new Promise((r) => setTimeout(r, 50));
      await handle.signal(providerDoneSignal, { jobId: 'tlk_r-did' });
      const result = await handle.result();
      expectPath(result.status === 'completed' && checks === 2, 'completed after one poll and the webhook');
      await ctx.save('video-render-d-id-webhook', handle.workflowId);
    },
  },
  'video-render-quality-failed': {
    async record(ctx) {
      let failed: unknown = null;
      ctx.h.fakes.impl.finishRender = async () => {
        throw ApplicationFailure.create({ message: 'the video failed quality control: the audio is silent (mean volume -91 dB)', type: 'render_quality', nonRetryable: true });
      };
      ctx.h.fakes.impl.failRender = async (i) => {
        failed = i;
      };
      const args = input('r-offline', 'offline');
      const handle = await ctx.h.client.workflow.start<typeof videoRender>('videoRender', { workflowId: videoRenderWorkflowId(args.tenantId, args.renderId, 1), taskQueue: ctx.h.taskQueue, args: [args] });
      const result = await handle.result();
      expectPath(result.status === 'failed' && result.errorClass === 'quality' && (failed as { errorClass?: string } | null)?.errorClass === 'quality', 'failed in quality control');
      await ctx.save('video-render-quality-failed', handle.workflowId);
    },
  },
};
