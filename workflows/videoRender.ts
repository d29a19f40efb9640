/**
 * `videoRender`: one attempt at one talking-avatar video. speech (ElevenLabs or espeak-ng, cached
 * by content hash) → render (D-ID, or the offline renderer) → for D-ID, a wait that ends with
 * D-ID's webhook (a signal) or a durable poll timer, whichever comes first: no activity runs and
 * no worker slot is held while D-ID renders → finish (download, quality checks, outputs, stored)
 * → the `video_renders` row says completed, or failed with the reason and its class.
 *
 * Paying once: `startProviderRender` stores its idempotency key on the row before creating the
 * talk and looks the talk up by it first, so a retried or re-run activity finds the talk it
 * created instead of paying for a second. Only transient provider errors are retried (the
 * activities mark the others non-retryable). Activities are tagged with `@`-pseudo nodes per
 * stage, so the run page groups the history by stage like a flow's nodes.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, condition, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import { RENDER_ERROR_CLASSES, type RenderErrorClass, type RenderStage } from '../core/renders';
import { ActivityCaller } from './flow/activities';
import { failureReason } from './ingestDocument';
import { providerDoneSignal, videoRenderStageQuery, type VideoRenderInput, type VideoRenderProgress, type VideoRenderResult } from './messages';
import { setRunAttributes } from './runtime/search-attributes';

/** The class a failure carries in its type (`render_<class>`); anything else (a database that stayed away) is transient. */
function classOf(err: unknown): RenderErrorClass {
  for (let e = err as { cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e instanceof ApplicationFailure && e.type?.startsWith('render_')) {
      const cls = e.type.slice('render_'.length);
      if ((RENDER_ERROR_CLASSES as readonly string[]).includes(cls)) return cls as RenderErrorClass;
    }
  }
  return 'transient';
}

export async function videoRender(input: VideoRenderInput): Promise<VideoRenderResult> {
  setRunAttributes({ TenantId: input.tenantId });
  const acts = new ActivityCaller();
  const ref = { tenantId: input.tenantId, renderId: input.renderId };
  let progress: VideoRenderProgress = { stage: 'queued', error: null, errorClass: null, polls: 0, webhook: false };
  let signalled = false;
  setHandler(videoRenderStageQuery, () => progress);
  setHandler(providerDoneSignal, () => {
    signalled = true;
    progress = { ...progress, webhook: true };
  });
  const stage = (next: RenderStage, patch: Partial<VideoRenderProgress> = {}) => {
    progress = { ...progress, ...patch, stage: next };
    setRunAttributes({ Stage: next });
  };

  try {
    stage('speech');
    await acts.call('@speech', 'speakRenderScript', ref);
    let resultUrl: string | null = null;
    if (input.provider === 'd-id') {
      stage('rendering');
      await acts.call('@render', 'startProviderRender', ref);
      stage('waiting');
      const deadline = workflowInfo().startTime.getTime() + input.timeoutMinutes * 60_000;
      while (resultUrl === null) {
        // The webhook's signal or the timer, whichever first; nothing runs meanwhile.
        await condition(() => signalled, input.pollSeconds * 1000);
        signalled = false;
        const check = await acts.call('@wait', 'checkProviderRender', ref);
        progress = { ...progress, polls: progress.polls + 1 };
        if (check.resultUrl) resultUrl = check.resultUrl;
        else if (Date.now() > deadline) throw ApplicationFailure.nonRetryable(`D-ID had not finished the video after ${input.timeoutMinutes} minutes`, 'render_transient');
      }
    }
    stage('downloading');
    await acts.call('@finish', 'finishRender', { ...ref, resultUrl });
    stage('completed');
    return { status: 'completed', error: null, errorClass: null };
  } catch (err) {
    const canceled = isCancellation(err);
    if (!canceled && !(err instanceof ActivityFailure) && !(err instanceof ApplicationFailure)) throw err;
    const reason = canceled ? 'The render was cancelled.' : err instanceof ActivityFailure ? failureReason(err) : (err as Error).message;
    const errorClass = canceled ? null : classOf(err);
    // The row must say what happened even when the run itself is being cancelled.
    await CancellationScope.nonCancellable(() => acts.call('@fail', 'failRender', { ...ref, reason, errorClass, canceled }));
    stage(canceled ? 'canceled' : 'failed', { error: reason, errorClass });
    if (canceled) throw err;
    return { status: 'failed', error: reason, errorClass };
  }
}
