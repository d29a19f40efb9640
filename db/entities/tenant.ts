import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AppointmentSettings } from '../../core/appointments';
import type { OpeningHours } from '../../core/opening-hours';
import type { ReportSettings } from '../../core/reports';
import type { RetentionPolicy } from '../../core/retention';
import { createdAt, jsonObject, uuidPk } from './common';

export interface LlmPricing {
  /** USD per million prompt tokens. */
  inputPer1M: number;
  /** USD per million completion tokens. */
  outputPer1M: number;
}

/** One OpenAI-compatible endpoint; the API key is stored encrypted (db/secrets.ts). */
export interface LlmProviderSettings {
  baseURL: string;
  model: string;
  apiKeyEncrypted: string;
  pricing?: LlmPricing;
}

export interface TenantSettings {
  /** Unset → the offline responder answers. `fallbacks` are tried in order on 5xx / connection errors. */
  llm?: LlmProviderSettings & { fallbacks?: LlmProviderSettings[] };
  /** Hosts this tenant's httpRequest nodes and tools may call, on top of HTTP_ALLOWED_HOSTS. */
  httpAllowedHosts?: string[];
  /**
   * The knowledge bases' embedder: an OpenAI-compatible `/embeddings` endpoint, or `local` (the
   * offline model scripts/models.sh installs); unset → the offline hashed n-gram embedder.
   */
  embeddings?: { baseURL: string; model: string; apiKeyEncrypted: string } | { kind: 'local' };
  /** The optional reranking step of retrieval: a `/rerank` cross-encoder endpoint or a chat model. */
  reranker?: { kind: 'rerank-api' | 'llm'; baseURL: string; model: string; apiKeyEncrypted: string };
  /** Reminders, quiet hours, follow-up of the appointment workflow (defaults in core/appointments.ts), per service if set. */
  appointments?: AppointmentSettings;
  /** The public booking page at /book/{slug}: off, its texts, and the sites that may frame it (core/api/public-booking.ts). */
  bookingPage?: { enabled: boolean; title: string; intro: string; embedOrigins: string[] };
  /** IANA zone analytics cut days in (UTC when unset). */
  timezone?: string;
  /** Opening hours read in `timezone` (the `businessHours` node); unset → always open. */
  openingHours?: OpeningHours;
  /** The weekly email report (core/reports.ts); off when unset. */
  reports?: ReportSettings;
  /** Days to keep each kind of data, enforced by the daily retention workflow (core/retention.ts); unset → for ever. */
  retention?: RetentionPolicy;
  /** The tenant's own ElevenLabs account (text-to-speech of renders); unset → ELEVENLABS_API_KEY, else espeak-ng. */
  elevenlabs?: { baseURL: string; model: string; apiKeyEncrypted: string };
  /** The tenant's own D-ID account (talking-avatar renders); unset → DID_API_KEY, else the offline renderer. */
  did?: { baseURL: string; apiKeyEncrypted: string };
}

/** The one entity not covered by the tenant filter: it *is* the tenant. */
export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: {
    id: uuidPk(),
    slug: p.string().length(64).unique(),
    name: p.string(),
    settings: jsonObject<TenantSettings>(),
    createdAt: createdAt(),
  },
});
export type Tenant = InferEntity<typeof Tenant>;
