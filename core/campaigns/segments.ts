/**
 * A segment: a saved filter over a tenant's contacts. The filter is data (stored as JSON, compiled
 * to SQL by db/repos/segments.ts), so the console can edit it and count it live, and a campaign
 * snapshots it when it is approved.
 */
import { z } from 'zod';
import { text } from '../api/common';
import { CAMPAIGN_CHANNELS } from './channels';

const days = z.number().int().min(1).max(3650);
const channel = z.enum(CAMPAIGN_CHANNELS);

export const segmentCondition = z.discriminatedUnion('field', [
  z.object({ field: z.literal('tag'), op: z.enum(['has', 'not_has']), value: text().trim().min(1).max(100) }),
  z.object({
    field: z.literal('attribute'),
    key: text().trim().min(1).max(100),
    op: z.enum(['eq', 'neq', 'contains', 'exists', 'not_exists', 'gt', 'lt']),
    value: z.union([text().max(500), z.number()]).optional(),
  }),
  /** Has the channel's address and opted in on it (and not out since). */
  z.object({ field: z.literal('reachable'), channel }),
  z.object({ field: z.literal('consent'), channel, op: z.enum(['opted_in', 'opted_out', 'unknown']) }),
  /** Last message from the contact on any channel. */
  z.object({ field: z.literal('lastSeen'), op: z.enum(['within_days', 'not_within_days']), days }),
  /** Replied to a campaign message or the bot (any inbound message) in the period. */
  z.object({ field: z.literal('replied'), op: z.enum(['within_days', 'not_within_days']), days }),
  z.object({ field: z.literal('createdAt'), op: z.enum(['within_days', 'not_within_days']), days }),
]);
export type SegmentCondition = z.infer<typeof segmentCondition>;

export const segmentFilter = z.object({
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(segmentCondition).max(50).default([]),
});
export type SegmentFilter = z.infer<typeof segmentFilter>;

/** No conditions: every contact of the tenant. */
export const EVERYONE_FILTER: SegmentFilter = { match: 'all', conditions: [] };
