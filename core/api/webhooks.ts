/** `/v1/webhooks/subscriptions` and `/v1/webhooks/deliveries`: outbound webhooks of API clients. */
import { z } from 'zod';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_WILDCARD } from '../webhooks';
import { text } from './common';

const eventTypeSchema = z.enum([...WEBHOOK_EVENT_TYPES, WEBHOOK_WILDCARD], {
  message: `each event type must be one of ${[...WEBHOOK_EVENT_TYPES, WEBHOOK_WILDCARD].join(', ')}`,
});
const url = text().pipe(z.url({ message: 'url must be an http(s) URL', protocol: /^https?$/ }).max(2000, 'url is longer than 2000 characters'));
const eventTypes = z.array(eventTypeSchema).min(1, 'eventTypes needs at least one event type').max(20);

export const createSubscriptionBody = z.object({
  url,
  eventTypes,
  description: text().trim().max(500).default(''),
  enabled: z.boolean().default(true),
});

export const updateSubscriptionBody = z
  .object({ url: url.optional(), eventTypes: eventTypes.optional(), description: text().trim().max(500).optional(), enabled: z.boolean().optional(), rotateSecret: z.boolean().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to update: send url, eventTypes, description, enabled or rotateSecret', path: ['url'] });

export const subscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  /** Why the platform disabled it (`gone`: the receiver answered 410; `failing`: consecutive dead deliveries). */
  disabledReason: z.string().nullable(),
  consecutiveDead: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookSubscriptionDto = z.infer<typeof subscriptionSchema>;

/** Create and rotation answer with the signing secret: the only time it is shown. */
export const subscriptionWithSecret = subscriptionSchema.extend({ secret: z.string() });
export const subscriptionList = z.object({ items: z.array(subscriptionSchema) });

export const deliveryStatusSchema = z.enum(WEBHOOK_DELIVERY_STATUSES, { message: `status must be one of ${WEBHOOK_DELIVERY_STATUSES.join(', ')}` });

export const attemptSchema = z.object({
  attempt: z.number(),
  statusCode: z.number().nullable(),
  latencyMs: z.number(),
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});

export const deliverySchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: deliveryStatusSchema,
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastLatencyMs: z.number().nullable(),
  lastError: z.string().nullable(),
  lastResponseExcerpt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type WebhookDeliveryDto = z.infer<typeof deliverySchema>;

export const deliveryWithAttempts = deliverySchema.extend({ attemptLog: z.array(attemptSchema) });

export const deliveryQuery = z.object({
  status: deliveryStatusSchema.optional(),
  subscriptionId: z.uuid({ message: 'subscriptionId must be a UUID' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Deliveries created before this one (the previous page's last id). */
  before: z.uuid({ message: 'before must be a UUID' }).optional(),
});
export const deliveryList = z.object({ items: z.array(deliverySchema) });

/** Bulk replay: the dead deliveries matching a filter, or the listed ids (any status but pending). */
export const bulkReplayBody = z.union(
  [
    z.object({ ids: z.array(z.uuid({ message: 'ids must be UUIDs' })).min(1, 'ids needs at least one id').max(500) }).strict(),
    z.object({ subscriptionId: z.uuid({ message: 'subscriptionId must be a UUID' }).optional(), status: z.literal('dead', { message: 'status must be dead' }).default('dead') }).strict(),
  ],
  { message: 'send ids, or a filter of subscriptionId' },
);
export const replayResult = z.object({ replayed: z.number() });
