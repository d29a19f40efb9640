/** The `videoRender` workflow's activities (activities/renders/): signatures shared with the workflow. */
import type { RenderErrorClass, RenderOutputKeys } from '../../core/renders';

export interface RenderRef {
  tenantId: string;
  renderId: string;
}

export interface VideoRenderActivities {
  /** The script spoken in the render's voice, from the speech cache when the same words were spoken before; characters billed go on the row. */
  speakRenderScript(input: RenderRef): Promise<{ speechKey: string; characters: number; cached: boolean }>;
  /** Creates the D-ID talk (or clip) once: the stored key is looked up before anything is created. */
  startProviderRender(input: RenderRef): Promise<{ jobId: string; created: boolean }>;
  /** D-ID's status of the render's job: its result URL when done; a failed job throws its classified reason. */
  checkProviderRender(input: RenderRef): Promise<{ resultUrl: string | null; status: string }>;
  /**
   * Download (or render offline) → quality checks → outputs → stored; the row becomes completed
   * with its outputs, duration and cost, and `video.completed` is emitted. Heartbeats; a failed check
   * is a non-retryable `render_quality` failure with the reason.
   */
  finishRender(input: RenderRef & { resultUrl: string | null }): Promise<{ durationSec: number; outputs: RenderOutputKeys }>;
  /** The row becomes failed (or canceled) with the reason; `video.failed` is emitted. */
  failRender(input: RenderRef & { reason: string; errorClass: RenderErrorClass | null; canceled: boolean }): Promise<void>;
}

export interface FlowVideoActivities {
  /** A flow's render request: claimed by its cache key; `start` when this claim must start its workflow (`workflowId`, `input`). */
  prepareFlowVideo(input: { tenantId: string; avatarId: string; voiceProfileId: string | null; script: string; personalized: boolean; conversationId: string | null }): Promise<{
    renderId: string;
    workflowId: string;
    start: boolean;
    input: { tenantId: string; renderId: string; attempt: number; provider: 'd-id' | 'offline'; pollSeconds: number; timeoutMinutes: number };
  }>;
  /** A render as a message can carry it: its status, and when completed a signed URL of the MP4 and the poster. */
  videoForMessage(input: { tenantId: string; renderId: string }): Promise<{ status: 'running' | 'completed' | 'failed' | 'canceled' | 'missing'; url?: string; posterUrl?: string; error?: string }>;
}
