/**
 * The widget's push-to-talk: one recording (multipart field `audio`) from a visitor is kept on
 * the conversation in the media store, transcribed (voice/stt.ts: the tenant's provider, else
 * PocketSphinx), and sent through the conversation workflow exactly like a typed message; the
 * turn's replies are spoken (voice/tts.ts, MP3 for the browser, in the channel's voice profile)
 * and answered with the text.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { WIDGET_VOICE_MAX_BYTES } from '../../core/api/widget';
import { AppError } from '../../core/errors';
import { tenantEm } from '../../db/orm';
import { cachedTenant } from '../../db/repos/tenants';
import { secretBoxFromConfig } from '../../db/secrets';
import { mediaUrlSignerFromConfig } from '../../media/store';
import { speechEngines, speechVoiceOf } from '../../voice/setup';
import { getVoiceProfile } from '../../db/repos/renders';
import { transcribe } from '../../voice/stt';
import { synthesize } from '../../voice/tts';
import type { AppDeps } from '../deps';
import { requireConversationRef } from './lookups';
import { multipartError } from './multipart';
import { renderMedia } from './renders';
import { sendTurn } from './turns';
import type { VisitorTokenPayload } from './widget-sessions';

/** Recordings by their bytes (never the declared type): the containers browsers' MediaRecorder writes, and WAV. */
const CONTAINERS: { ext: string; contentType: string; matches: (b: Buffer) => boolean }[] = [
  { ext: 'webm', contentType: 'audio/webm', matches: (b) => b.length > 4 && b.readUInt32BE(0) === 0x1a45dfa3 },
  { ext: 'ogg', contentType: 'audio/ogg', matches: (b) => b.subarray(0, 4).toString('latin1') === 'OggS' },
  { ext: 'wav', contentType: 'audio/wav', matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WAVE' },
  { ext: 'mp4', contentType: 'audio/mp4', matches: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
];

const tooLarge = () => new AppError('payload_too_large', `the recording is larger than ${WIDGET_VOICE_MAX_BYTES / (1024 * 1024)} MB (about a minute of speech)`, { field: 'audio' });

export interface VoiceRecording {
  bytes: Buffer;
  ext: string;
  contentType: string;
  /** The client's id for the turn (its idempotency key), as a typed message's clientId. */
  clientId?: string;
}

/** Reads the one `audio` part (and an optional `clientId` field); the size limit stops the stream at the limit. */
export async function readVoiceRecording(request: FastifyRequest): Promise<VoiceRecording> {
  if (Number(request.headers['content-length'] ?? 0) > WIDGET_VOICE_MAX_BYTES + 64 * 1024) throw tooLarge();
  if (!request.isMultipart()) throw new AppError('bad_request', 'send the recording as multipart/form-data in a field named "audio"', { field: 'audio' });
  let bytes: Buffer | null = null;
  let clientId: string | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: WIDGET_VOICE_MAX_BYTES, files: 1, fields: 2 } })) {
      if (part.type === 'field') {
        if (part.fieldname === 'clientId') clientId = String(part.value);
        continue;
      }
      if (part.fieldname !== 'audio') throw new AppError('bad_request', `unexpected file field "${part.fieldname}": send the recording as "audio"`, { field: part.fieldname });
      bytes = await part.toBuffer();
    }
  } catch (err) {
    throw multipartError(err, tooLarge);
  }
  if (!bytes || bytes.length === 0) throw new AppError('bad_request', 'audio is required (a non-empty multipart field named "audio")', { field: 'audio' });
  if (clientId !== undefined && !/^[\w-]{8,64}$/.test(clientId)) throw new AppError('bad_request', 'clientId: 8 to 64 letters, digits, "-" or "_"', { field: 'clientId' });
  const container = CONTAINERS.find((c) => c.matches(bytes));
  if (!container) throw new AppError('unsupported_media_type', "audio: the recording is not WebM, Ogg, MP4 audio or WAV", { field: 'audio' });
  return { bytes, ext: container.ext, contentType: container.contentType, clientId };
}

export interface VoiceTurn {
  transcript: string;
  transcriptEngine: 'openai' | 'pocketsphinx';
  replies: { id: string; text: string }[];
  audioUrl: string | null;
  speechEngine: 'elevenlabs' | 'espeak-ng' | 'twilio-say' | null;
}

/** Keeps, transcribes and sends the recording as the visitor's message; speaks the replies. */
export async function voiceTurn(deps: AppDeps, session: VisitorTokenPayload, recording: VoiceRecording, voiceProfileId: string | null, log: FastifyRequest['log']): Promise<VoiceTurn> {
  const { tenantId, conversationId } = session;
  const tenant = await cachedTenant(deps.orm, tenantId);
  if (!tenant) throw new AppError('not_found', 'conversation not found', { field: 'token' });
  const engines = speechEngines(deps.config, tenant, (s) => secretBoxFromConfig(deps.config).decrypt(s));
  const store = renderMedia(deps.config);
  await store.put(`t/${tenantId}/widget-voice/${conversationId}/${randomUUID()}.${recording.ext}`, recording.bytes, recording.contentType);

  const dir = await mkdtemp(join(tmpdir(), 'widget-voice-'));
  let heard;
  try {
    const path = join(dir, `recording.${recording.ext}`);
    await writeFile(path, recording.bytes);
    heard = await transcribe(
      { endpoint: engines.transcription, onFallback: (reason) => log.warn({ reason }, 'transcription provider failed: PocketSphinx transcribes') },
      { path, fileName: `recording.${recording.ext}` },
    ).catch((err: Error) => Promise.reject(new AppError('bad_request', `audio: the recording could not be transcribed (${err.message})`, { field: 'audio' })));
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  if (!heard.text) throw new AppError('validation_failed', 'audio: no speech was heard in the recording', { field: 'audio' });

  const em = tenantEm(deps.orm, tenantId);
  const conversation = await requireConversationRef(em, tenantId, conversationId, 'token');
  const turn = await sendTurn(deps, em, tenantId, conversation, heard.text, recording.clientId);
  const replies = turn.replies.filter((r) => r.text.trim()).map((r) => ({ id: r.id, text: r.text }));
  if (!replies.length) return { transcript: heard.text, transcriptEngine: heard.engine, replies, audioUrl: null, speechEngine: null };

  const text = replies.map((r) => r.text).join('\n');
  // The channel's voice profile, looked up in the tenant's own: another tenant's id is simply not found.
  const profile = voiceProfileId ? await getVoiceProfile(em, voiceProfileId) : null;
  const spoken = await synthesize(
    { store, elevenlabs: engines.elevenlabs, urlTtlSeconds: deps.config.MEDIA_URL_TTL_SECONDS, onFallback: (engine, reason) => log.warn({ engine, reason }, 'speech engine passed over') },
    { tenantId, text, voice: speechVoiceOf(profile), format: 'web' },
  );
  return { transcript: heard.text, transcriptEngine: heard.engine, replies, audioUrl: spoken.mediaKey ? await browserUrl(deps, spoken.mediaKey) : null, speechEngine: spoken.engine };
}

/** Without PUBLIC_URL a local store's URL is a path the widget resolves against the API it talks to. */
async function browserUrl(deps: AppDeps, key: string): Promise<string> {
  if (deps.config.PUBLIC_URL || deps.config.MEDIA_STORE === 's3') return renderMedia(deps.config).signedUrl(key, deps.config.MEDIA_URL_TTL_SECONDS);
  return mediaUrlSignerFromConfig(deps.config, { relative: true }).url(key, deps.config.MEDIA_URL_TTL_SECONDS);
}
