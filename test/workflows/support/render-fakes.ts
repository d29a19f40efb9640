/** Fake videoRender activities for workflow tests: a render that speaks, is created at D-ID, is done at the first check and finishes. */
import type { FlowVideoActivities, VideoRenderActivities } from '../../../activities/renders/types';

export const renderFakes = (): VideoRenderActivities & FlowVideoActivities => ({
  speakRenderScript: async ({ tenantId, renderId }) => ({ speechKey: `t/${tenantId}/speech/${renderId}.mp3`, characters: 42, cached: false }),
  startProviderRender: async ({ renderId }) => ({ jobId: `tlk_${renderId}`, created: true }),
  checkProviderRender: async ({ renderId }) => ({ resultUrl: `https://d-id.example/results/${renderId}.mp4`, status: 'done' }),
  finishRender: async ({ tenantId, renderId }) => {
    const key = (f: string) => `t/${tenantId}/renders/${renderId}/${f}`;
    return { durationSec: 4.2, outputs: { mp4: key('video.mp4'), webm: key('video.webm'), poster: key('poster.jpg'), sprite: key('sprite.jpg'), hls: null } };
  },
  failRender: async () => {},
  prepareFlowVideo: async ({ tenantId }) => ({
    renderId: 'r-flow',
    workflowId: `video:${tenantId}:r-flow:1`,
    start: false,
    input: { tenantId, renderId: 'r-flow', attempt: 1, provider: 'offline', pollSeconds: 1, timeoutMinutes: 30 },
  }),
  videoForMessage: async ({ tenantId, renderId }) => ({ status: 'completed', url: `https://media.example/t/${tenantId}/renders/${renderId}/video.mp4`, posterUrl: `https://media.example/t/${tenantId}/renders/${renderId}/poster.jpg` }),
});
