/** Shapes of the contacts and segments API, inferred from its schemas (core/api/audiences.ts). */
import type { z } from 'zod';
import type { audienceCount, contactPage, importResult } from '../../../../core/api/audiences';

export type { ContactDto, SegmentDto } from '../../../../core/api/audiences';
export type ContactPage = z.infer<typeof contactPage>;
export type AudienceCount = z.infer<typeof audienceCount>;
export type ImportResult = z.infer<typeof importResult>;
export type { CampaignChannel, ConsentStatus, SegmentCondition, SegmentFilter } from '../../../../core/campaigns';

export const CHANNEL_LABELS = { sms: 'SMS', whatsapp: 'WhatsApp', email: 'Email', messenger: 'Messenger' } as const;
