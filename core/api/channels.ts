import { z } from 'zod';
import { CHANNEL_TYPES } from '../channels';
import { storable, text } from './common';

const jsonObject = storable(z.record(z.string(), z.unknown()));

/** `credentials` and `settings` are checked against the adapter's own schemas by the service (400 naming `credentials.<field>`). */
export const createChannelBody = z.object({
  type: z.enum(CHANNEL_TYPES, { message: `type must be one of ${CHANNEL_TYPES.join(', ')}` }),
  name: text().trim().min(1, 'name is required').max(200),
  flowId: z.uuid({ message: 'flowId must be a UUID' }).nullish(),
  credentials: jsonObject.default({}),
  settings: jsonObject.default({}),
});

/** Credentials merge into the stored ones (send only what changes); settings replace the stored settings. */
export const updateChannelBody = z
  .object({
    name: text().trim().min(1).max(200).optional(),
    flowId: z.uuid({ message: 'flowId must be a UUID' }).nullish(),
    credentials: jsonObject.optional(),
    settings: jsonObject.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to update: send name, flowId, credentials or settings', path: ['name'] });

export const channelDto = z
  .object({
    id: z.string(),
    type: z.enum(CHANNEL_TYPES),
    name: z.string(),
    flowId: z.string().nullable(),
    settings: jsonObject,
    /** Which credential fields are stored (values are never returned). */
    credentialFields: z.array(z.string()),
    /** Where the provider must send webhooks: `{PUBLIC_URL}/v1/webhooks/{type}/{id}`. */
    webhookUrl: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Channel' });

export const channelTestResult = z.object({ ok: z.boolean(), detail: z.string() });
