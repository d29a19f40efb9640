/** Retention settings, and a contact's export and erasure (api/routes/privacy.ts). */
import { z } from 'zod';
import { RETENTION_MAX_DAYS } from '../retention';

const days = z
  .number({ message: 'days must be a whole number of days, or null to keep for ever' })
  .int({ message: 'days must be a whole number' })
  .min(1, { message: 'keep data for at least 1 day (null keeps it for ever)' })
  .max(RETENTION_MAX_DAYS, { message: `at most ${RETENTION_MAX_DAYS} days (null keeps it for ever)` })
  .nullable();

/** `GET /v1/settings/retention`: days to keep each kind; null keeps it for ever. */
export const retentionSettings = z.object({
  /** Messages (and closed conversations emptied by it); open conversations active since the cutoff keep theirs. */
  messages: days,
  /** Files of conversations (media_assets), call recordings among them. */
  media: days,
  /** Knowledge-base documents, by last update, with their chunks. */
  documents: days,
  /** Platform events and finished webhook deliveries with their attempts. */
  events: days,
});

/** `PUT`: the kinds given change (null: keep for ever); the others keep their setting. */
export const retentionSettingsBody = retentionSettings.partial().strict();

export const ERASE_CONFIRMATION = 'ERASE';

export const eraseBody = z.object(
  { confirm: z.literal(ERASE_CONFIRMATION, { message: `confirm must be "${ERASE_CONFIRMATION}": erasure cannot be undone` }) },
  { message: `send {"confirm": "${ERASE_CONFIRMATION}"}: erasure cannot be undone` },
);

export const eraseResult = z.object({
  contactId: z.string(),
  /** Rows removed per table. */
  erased: z.record(z.string(), z.number()),
  /** Temporal runs of its conversations, appointments and file downloads: running ones terminated, every kept one deleted. */
  workflows: z.object({ terminated: z.number(), deleted: z.number() }),
  /** Redis keys of its conversations removed. */
  cacheKeys: z.number(),
});
