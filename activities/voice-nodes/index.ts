/**
 * The transfer and record nodes' I/O. `prepareTransfer` reads the agents' phones and signs the
 * whisper's URL (the workflow holds no secret). `storeCallRecording` fetches the voicemail from
 * Twilio with the voice channel's credentials (sent only to the channel's API host) into the media
 * store under a key derived from the recording, so a retry overwrites the same object.
 * `recordVoicemail` stores it as the caller's message, the transcript as its text, and publishes it
 * to the inbox.
 */
import { ApplicationFailure } from '@temporalio/common';
import { publicUrl } from '../../core/config';
import { stripUnstorableDeep } from '../../core/text';
import { adapterEnv } from '../../channels/registry';
import { decryptCredentials } from '../../channels/directory';
import { downloadMedia, TWILIO_API_BASE } from '../../channels/twilio/client';
import { ProviderError } from '../../channels/types';
import { systemEm, tenantEm } from '../../db/orm';
import { channelForWebhook } from '../../db/repos/channels';
import { insertMessageOnce, toReply } from '../../db/repos/messages';
import { publishLive } from '../../events/live';
import { mediaStoreFromConfig } from '../../media/store';
import { whisperToken } from '../../voice/whisper-token';
import type { ActivityDeps } from '../deps';
import type { VoiceNodeActivities } from './types';

/** Roles whose members take calls from the inbox. */
const AGENT_ROLES = ['agent', 'admin'];

export function voiceNodeActivities({ orm, redis, config }: ActivityDeps): VoiceNodeActivities {
  const media = mediaStoreFromConfig(config);
  return {
    async prepareTransfer({ tenantId, agents, whisper }) {
      let agentNumbers: string[] = [];
      if (agents) {
        const rows = await tenantEm(orm, tenantId)
          .getConnection()
          .execute<{ phone: string }[]>(
            `select phone from users where tenant_id = ? and disabled = false and phone is not null and role in (${AGENT_ROLES.map(() => '?').join(', ')}) order by created_at, id`,
            [tenantId, ...AGENT_ROLES],
          );
        agentNumbers = [...new Set(rows.map((r) => r.phone))];
      }
      let whisperUrl: string | null = null;
      if (whisper.trim()) {
        if (!config.SWITCHBOARD_SECRET_KEY) throw ApplicationFailure.nonRetryable('SWITCHBOARD_SECRET_KEY is not set: the whisper URL cannot be signed', 'Misconfigured');
        whisperUrl = `${publicUrl(config).replace(/\/+$/, '')}/v1/webhooks/voice-whisper/${whisperToken(config.SWITCHBOARD_SECRET_KEY, whisper.trim())}`;
      }
      return { agentNumbers, whisperUrl };
    },

    async storeCallRecording({ tenantId, channelId, callSid, recordingSid, recordingUrl }) {
      const row = await channelForWebhook(systemEm(orm), channelId);
      if (!row || row.tenant !== tenantId) throw ApplicationFailure.nonRetryable('the voice channel no longer exists', 'NotFound');
      const credentials = decryptCredentials(config, row.credentialsEncrypted) as { accountSid?: string; authToken?: string; apiBaseUrl?: string };
      const settings = (row.settings ?? {}) as { apiBaseUrl?: string };
      if (!credentials.accountSid || !credentials.authToken) throw ApplicationFailure.nonRetryable('the voice channel has no Twilio credentials', 'Misconfigured');
      const env = adapterEnv(config);
      let fetched;
      try {
        fetched = await downloadMedia(
          { fetch: env.fetch, mediaHosts: config.TWILIO_MEDIA_HOSTS, accountSid: credentials.accountSid, authToken: credentials.authToken, baseUrl: settings.apiBaseUrl ?? credentials.apiBaseUrl ?? TWILIO_API_BASE },
          recordingUrl,
          { maxBytes: config.CHANNEL_MEDIA_MAX_BYTES },
        );
      } catch (err) {
        if (err instanceof ProviderError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, 'MediaRefused');
        throw err;
      }
      // Twilio serves audio/x-wav; anything that is not MP3 is stored as the WAV it is asked for.
      const contentType = /^audio\/(mpeg|mp3)\b/.test(fetched.contentType) ? 'audio/mpeg' : 'audio/wav';
      const name = (recordingSid ?? recordingUrl.split('/').pop() ?? 'recording').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) || 'recording';
      const key = `t/${tenantId}/calls/${callSid.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64)}/${name}.${contentType === 'audio/mpeg' ? 'mp3' : 'wav'}`;
      const stored = await media.put(key, fetched.data, contentType);
      return { mediaKey: stored.key, contentType, byteSize: stored.byteSize };
    },

    async recordVoicemail(input) {
      const em = tenantEm(orm, input.tenantId);
      const transcript = input.transcript?.trim() ? stripUnstorableDeep(input.transcript.trim()).slice(0, 8000) : null;
      const { message } = await insertMessageOnce(em, input.tenantId, {
        conversationId: input.conversationId,
        direction: 'in',
        author: 'contact',
        text: transcript ?? '[voicemail]',
        idempotencyKey: input.key,
        nodeId: input.nodeId,
        source: 'voicemail',
        metadata: {
          channel: 'voice',
          kind: 'audio',
          voicemail: { durationSeconds: input.durationSeconds, transcribed: transcript !== null, engine: input.engine },
          rich: { media: { key: input.mediaKey, url: `/media/${input.mediaKey}`, contentType: input.contentType, caption: 'Voicemail', name: 'voicemail' } },
        },
      });
      await publishLive(redis, input.tenantId, input.conversationId, { type: 'message', message: { ...toReply(message), author: 'contact' } });
      return { messageId: message.id };
    },
  };
}
