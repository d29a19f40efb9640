/** Fake videoRender activities for workflow tests: a render that speaks, is created at D-ID, is done at the first check and finishes. */
import type { VideoRenderActivities } from '../../../activities/renders/types';

export const renderFakes = (): VideoRenderActivities => ({
  speakRenderScript: async ({ tenantId, renderId }) => ({ speechKey: `t/${tenantId}/speech/${renderId}.mp3`, characters: 42, cached: false }),
  startProviderRender: async ({ renderId }) => ({ jobId: `tlk_${renderId}`, created: true }),
  checkProviderRender: async ({ renderId }) => ({ resultUrl: `https://d-id.example/results/${renderId}.mp4`, status: 'done' }),
  finishRender: async ({ tenantId, renderId }) => {
    const key = (f: string) => `t/${tenantId}/renders/${renderId}/${f}`;
    return { durationSec: 4.2, outputs: { mp4: key('video.mp4'), webm: key('video.webm'), poster: key('poster.jpg'), sprite: key('sprite.jpg'), hls: null } };
  },
  failRender: async () => {},
});
