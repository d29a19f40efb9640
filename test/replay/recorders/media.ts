/** `fetchInboundMedia` recording: a message with two files, one stored, one the host never serves (failed after its attempts). */
import { ApplicationFailure } from '@temporalio/common';
import { mediaWorkflowId } from '../../../core/ids';
import type { fetchInboundMedia } from '../../../workflows/fetchInboundMedia';
import type { FetchInboundMediaInput } from '../../../core/inbound';
import { expectPath, type Recorder } from './types';

export const mediaRecorders: Record<string, Recorder> = {
  'media-stored-and-failed': {
    async record(ctx) {
      let attempts = 0;
      ctx.h.fakes.impl.downloadInboundMedia = async ({ file }) => {
        if (file.index === 0) return { status: 'stored', mediaAssetId: 'asset-0', contentType: 'image/jpeg', byteSize: 2048 };
        attempts++;
        throw ApplicationFailure.retryable('attachment download failed: fetch failed', 'ProviderError');
      };
      const input: FetchInboundMediaInput = {
        tenantId: 't1',
        channelId: 'c1',
        conversationId: 'v1',
        messageExternalId: 'wamid.1',
        files: [
          { index: 0, ref: 'media-1', contentType: 'image/jpeg' },
          { index: 1, ref: 'media-2', name: 'scan.pdf' },
        ],
        maxAttempts: 2,
        retrySeconds: 0.1,
      };
      const handle = await ctx.h.client.workflow.start<typeof fetchInboundMedia>('fetchInboundMedia', {
        workflowId: mediaWorkflowId(input.tenantId, input.channelId, input.messageExternalId),
        taskQueue: ctx.h.taskQueue,
        args: [input],
      });
      const outcomes = await handle.result();
      expectPath(outcomes[0].status === 'stored' && outcomes[1].status === 'failed' && attempts === 2, 'one file stored, one failed after 2 attempts');
      await ctx.save('media-stored-and-failed', handle.workflowId);
    },
  },
};
