/**
 * `sendVideo` recordings: an automation renders a personalized script (the fake claim says the
 * render must start: the run starts the `videoRender` child and waits on a timer while it is
 * rendering, then sends it), and one whose render failed following the `error` edge.
 */
import type { flowRun } from '../../../workflows/flowRun';
import { talk } from '../../workflows/support/conversation';
import { conversationInput, flow } from '../../workflows/support/flows';
import { closeAndSave } from './conversation';
import { startRun } from './flow-run';
import { expectPath, type Recorder } from './types';

const AVATAR = '6f0c6a43-58a6-4c43-9b36-4f3a2d3b9e01';
const videoFlow = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'video', type: 'sendVideo', data: { avatarId: AVATAR, script: 'Hi {{name}}, this week: lamb!', text: 'For you, {{name}}' } },
      { id: 'sorry', type: 'sendMessage', data: { text: 'The video is not ready: {{name}}, see our menu online.' } },
      { id: 'end', type: 'end', data: {} },
    ],
    [
      ['start', 'video'],
      ['video', 'end', 'next'],
      ['video', 'sorry', 'error'],
      ['sorry', 'end'],
    ],
  );

export const sendVideoRecorders: Record<string, Recorder> = {
  'conversation-send-video': {
    async record(ctx) {
      const c = talk(ctx.h, conversationInput(videoFlow()));
      await c.turn('hello');
      const state = await c.state();
      expectPath(state.trace.some((t) => t.nodeId === 'video' && t.handle === 'next'), 'the video sent in the conversation');
      await closeAndSave(ctx, c, 'conversation-send-video');
    },
  },
  'send-video-rendered': {
    async record(ctx) {
      let looks = 0;
      ctx.h.fakes.impl.prepareFlowVideo = async ({ tenantId }) => ({
        renderId: 'r-flow',
        workflowId: `video:${tenantId}:r-flow:1`,
        start: true,
        input: { tenantId, renderId: 'r-flow', attempt: 1, provider: 'offline', pollSeconds: 1, timeoutMinutes: 30 },
      });
      ctx.h.fakes.impl.videoForMessage = async ({ renderId }) =>
        ++looks === 1 ? { status: 'running' } : { status: 'completed', url: `https://media.example/t/t1/renders/${renderId}/video.mp4`, posterUrl: `https://media.example/t/t1/renders/${renderId}/poster.jpg` };
      const run = await startRun(ctx.h, videoFlow(), { name: 'Ana' });
      const out: Awaited<ReturnType<typeof flowRun>> = await run.result();
      expectPath(out.status === 'completed' && looks === 2 && out.messages.some((m) => m.text === 'For you, Ana'), 'rendered, waited once, sent');
      await ctx.save('send-video-rendered', run.workflowId);
    },
  },
  'send-video-failed': {
    async record(ctx) {
      ctx.h.fakes.impl.videoForMessage = async () => ({ status: 'failed', error: 'D-ID answered HTTP 402: InsufficientCreditsError' });
      const run = await startRun(ctx.h, videoFlow(), { name: 'Ana' });
      const out: Awaited<ReturnType<typeof flowRun>> = await run.result();
      expectPath(out.status === 'completed' && out.messages.some((m) => m.text.startsWith('The video is not ready')), 'followed the error edge');
      await ctx.save('send-video-failed', run.workflowId);
    },
  },
};
