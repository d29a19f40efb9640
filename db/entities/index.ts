import { ApiKey } from './api-key';
import { AuditEntry } from './audit-entry';
import { Appointment } from './appointment';
import { AppointmentHold } from './appointment-hold';
import { AvailabilityException } from './availability-exception';
import { BrandVoice } from './brand-voice';
import { WhatsappTemplate } from './whatsapp-template';
import { CalendarBusyBlock } from './calendar-busy-block';
import { CannedResponse } from './canned-response';
import { Campaign } from './campaign';
import { CampaignLinkClick } from './campaign-link-click';
import { CampaignRecipient } from './campaign-recipient';
import { Channel } from './channel';
import { Chunk } from './chunk';
import { Contact } from './contact';
import { ContactConsent } from './contact-consent';
import { Conversation } from './conversation';
import { CsatResponse } from './csat-response';
import { Document } from './document';
import { DocumentImport } from './document-import';
import { DocumentSource } from './document-source';
import { EmbeddingCache } from './embedding-cache';
import { Event } from './event';
import { Flow } from './flow';
import { FlowVersion } from './flow-version';
import { InboundMessage } from './inbound-message';
import { KnowledgeBase } from './knowledge-base';
import { LlmCall } from './llm-call';
import { Location } from './location';
import { MediaAsset } from './media-asset';
import { Message } from './message';
import { Resource } from './resource';
import { Segment } from './segment';
import { Service } from './service';
import { Session } from './session';
import { StaffMember } from './staff-member';
import { Tenant } from './tenant';
import { User } from './user';
import { WebhookAttempt } from './webhook-attempt';
import { WebhookDelivery } from './webhook-delivery';
import { WebhookSubscription } from './webhook-subscription';
import { AlertEvent, AlertRule, ReportSend } from './alert';
import { Intent, IntentExample } from './intent';
import { ConversationLabel } from './conversation-label';
import { Avatar } from './avatar';
import { VideoRender } from './video-render';
import { VoiceProfile } from './voice-profile';

export { ApiKey, Channel, Chunk, Contact, Conversation, Document, DocumentSource, EmbeddingCache, Event, Flow, FlowVersion, InboundMessage, KnowledgeBase, LlmCall, MediaAsset, Message, Tenant };
export { CannedResponse, DocumentImport, Session, User };
export { WebhookAttempt, WebhookDelivery, WebhookSubscription };
export { AuditEntry };
export { BrandVoice, WhatsappTemplate };
export { Appointment, AppointmentHold, AvailabilityException, CalendarBusyBlock, Location, Resource, Service, StaffMember };
export { Campaign, CampaignLinkClick, CampaignRecipient };
export type { AbTestSettings, QuietHours } from './campaign';
export { ContactConsent, Segment };
export { ConversationLabel, Intent, IntentExample };
export type { CaldavSettings } from './staff-member';
export { USER_ROLES, type UserRole } from './user';
export { DOCUMENT_SOURCE_TYPES, DOCUMENT_STATUSES, type DocumentSourceType, type DocumentStatus } from './document';
export { INBOUND_STATUSES, type InboundStatus } from './inbound-message';
export type { LlmPricing, LlmProviderSettings, TenantSettings } from './tenant';
export { CsatResponse };
export { AlertEvent, AlertRule, ReportSend };
export type { AlertNotified } from './alert';
export { Avatar, VideoRender, VoiceProfile };

/** Every entity with a `tenant` column: the `tenant` filter (db/orm.ts) covers exactly these. */
export const TENANT_SCOPED_ENTITIES = [
  ApiKey, Flow, FlowVersion, Contact, Conversation, Message, LlmCall, Event, KnowledgeBase, Document, DocumentSource, Chunk,
  Channel, InboundMessage, MediaAsset,
  User, Session, CannedResponse, DocumentImport,
  WebhookSubscription, WebhookDelivery, WebhookAttempt,
  AuditEntry,
  Location, Service, StaffMember, Resource, AvailabilityException, Appointment, AppointmentHold, CalendarBusyBlock,
  BrandVoice, WhatsappTemplate,
  ContactConsent, Segment,
  Campaign, CampaignRecipient, CampaignLinkClick,
  CsatResponse,
  AlertRule, AlertEvent, ReportSend,
  Intent, IntentExample, ConversationLabel,
  VoiceProfile, Avatar, VideoRender,
];
/** EmbeddingCache holds only (embedder, content hash, vector): nothing tenant-specific to scope. */
export const ALL_ENTITIES = [Tenant, EmbeddingCache, ...TENANT_SCOPED_ENTITIES];
