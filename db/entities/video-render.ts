import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { RENDER_ERROR_CLASSES, RENDER_PROVIDERS, RENDER_STAGES, RENDER_STATUSES, type RenderCost, type RenderOutputKeys, type RenderSettings } from '../../core/renders';
import { Avatar } from './avatar';
import { createdAt, jsonObject, updatedAt, uuidPk } from './common';
import { Contact } from './contact';
import { Tenant } from './tenant';
import { VoiceProfile } from './voice-profile';

/**
 * One talking-avatar video, keyed by its cache key (unique per tenant): the same script, voice,
 * avatar and settings find this row, so an identical request costs nothing. The provider fields
 * are what makes a render pay once: `providerRequestKey` is stored before the talk is created
 * (and sent as its `user_data`), `providerJobId` as soon as it is known.
 */
export const VideoRender = defineEntity({
  name: 'VideoRender',
  tableName: 'video_renders',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    cacheKey: p.string().length(64),
    /** Bumped when a failed or cancelled render is asked for again: each attempt is its own workflow. */
    attempt: p.integer().default(1),
    workflowId: p.text(),
    status: p.enum(RENDER_STATUSES).default('running'),
    stage: p.enum(RENDER_STAGES).default('queued'),
    title: p.text().default(''),
    script: p.text(),
    voiceProfile: p.manyToOne(VoiceProfile).mapToPk().nullable().deleteRule('set null'),
    avatar: p.manyToOne(Avatar).mapToPk().nullable().deleteRule('set null'),
    /** A personalized render (a flow's script with the contact's variables) belongs to the contact and goes with it. */
    contact: p.manyToOne(Contact).mapToPk().nullable().deleteRule('cascade'),
    settings: jsonObject<RenderSettings>(),
    provider: p.enum(RENDER_PROVIDERS),
    providerRequestKey: p.string().nullable(),
    providerJobId: p.string().nullable(),
    speechKey: p.text().nullable(),
    durationSec: p.double().nullable(),
    cost: jsonObject<RenderCost>(),
    outputs: p.json<RenderOutputKeys>().nullable(),
    error: p.text().nullable(),
    errorClass: p.enum(RENDER_ERROR_CLASSES).nullable(),
    createdBy: p.string().nullable(),
    completedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type VideoRender = InferEntity<typeof VideoRender>;
