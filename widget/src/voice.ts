/**
 * Push-to-talk: the microphone is recorded (MediaRecorder) while the button is held, and the
 * recording goes to `POST /v1/widget/voice`, which transcribes it, runs it through the flow as the
 * visitor's message and answers the reply's speech. Browsers without a microphone API get no button.
 */

/** Opus in WebM (Chromium, Firefox), Opus in Ogg, or MP4 audio (Safari): the first the browser records. */
const TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];

export const canRecord = (): boolean => typeof MediaRecorder !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);

export class VoiceRecorder {
  private recorder: MediaRecorder | null = null;
  private stream: MediaStream | null = null;
  private chunks: Blob[] = [];
  private starting: Promise<void> | null = null;

  get recording(): boolean {
    return this.starting !== null;
  }

  /** Asks for the microphone (the browser's prompt the first time) and starts recording. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
      const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
      this.chunks = [];
      this.recorder = new MediaRecorder(this.stream, mimeType ? { mimeType } : undefined);
      this.recorder.addEventListener('dataavailable', (e) => e.data.size && this.chunks.push(e.data));
      this.recorder.start();
    })().catch((err) => {
      this.release();
      throw err;
    });
    return this.starting;
  }

  /** Stops and answers the recording (null when nothing was recorded). */
  async stop(): Promise<Blob | null> {
    if (!this.starting) return null;
    try {
      await this.starting;
    } catch {
      return null;
    }
    const recorder = this.recorder!;
    const done = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
    if (recorder.state !== 'inactive') recorder.stop();
    await done;
    const blob = this.chunks.length ? new Blob(this.chunks, { type: recorder.mimeType || 'audio/webm' }) : null;
    this.release();
    return blob;
  }

  private release() {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.recorder = null;
    this.starting = null;
  }
}
