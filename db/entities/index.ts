import { ApiKey } from './api-key';
import { Chunk } from './chunk';
import { Contact } from './contact';
import { Conversation } from './conversation';
import { Document } from './document';
import { DocumentSource } from './document-source';
import { EmbeddingCache } from './embedding-cache';
import { Event } from './event';
import { Flow } from './flow';
import { FlowVersion } from './flow-version';
import { KnowledgeBase } from './knowledge-base';
import { LlmCall } from './llm-call';
import { Message } from './message';
import { Tenant } from './tenant';

export { ApiKey, Chunk, Contact, Conversation, Document, DocumentSource, EmbeddingCache, Event, Flow, FlowVersion, KnowledgeBase, LlmCall, Message, Tenant };
export { DOCUMENT_SOURCE_TYPES, DOCUMENT_STATUSES, type DocumentSourceType, type DocumentStatus } from './document';
export { CONVERSATION_STATUSES } from './conversation';
export type { LlmPricing, LlmProviderSettings, TenantSettings } from './tenant';

/** Every entity with a `tenant` column: the `tenant` filter (db/orm.ts) covers exactly these. */
export const TENANT_SCOPED_ENTITIES = [
  ApiKey, Flow, FlowVersion, Contact, Conversation, Message, LlmCall, Event, KnowledgeBase, Document, DocumentSource, Chunk,
];
/** EmbeddingCache holds only (embedder, content hash, vector): nothing tenant-specific to scope. */
export const ALL_ENTITIES = [Tenant, EmbeddingCache, ...TENANT_SCOPED_ENTITIES];
