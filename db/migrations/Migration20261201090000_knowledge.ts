import { Migration } from '@mikro-orm/migrations';

/**
 * The knowledge base: knowledge bases, documents with versioned sources and chunks, and the shared
 * embedding cache. Generated from the entities by the schema generator (the vector and tsvector
 * columns and the hnsw/gin indexes come from the entity definitions).
 */
export class Migration20261201090000_knowledge extends Migration {

  override name = 'Migration20261201090000_knowledge';

  override up(): void | Promise<void> {
    this.addSql(`create table "embedding_cache" ("embedder_id" varchar(255) not null, "content_hash" varchar(64) not null, "embedding" vector(384) not null, primary key ("embedder_id", "content_hash"));`);

    this.addSql(`create table "knowledge_bases" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "name" varchar(255) not null, "description" text null, "retrieval" jsonb not null, "chunk_size" int not null default 400, "chunk_overlap" int not null default 60, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "knowledge_bases_tenant_id_index" on "knowledge_bases" ("tenant_id");`);

    this.addSql(`create table "documents" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "knowledge_base_id" uuid not null, "name" varchar(255) not null, "source_type" text not null, "mime_type" varchar(255) not null, "source_url" text null, "byte_size" int not null, "status" text not null default 'pending', "stage" varchar(255) null, "percent" int not null default 0, "error" text null, "active_version" int null, "latest_version" int not null default 1, "chunk_count" int not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "documents_tenant_id_index" on "documents" ("tenant_id");`);
    this.addSql(`create index "documents_knowledge_base_id_index" on "documents" ("knowledge_base_id");`);
    this.addSql(`alter table "documents" add constraint "documents_source_type_check" check ("source_type" in ('upload', 'url', 'text'));`);
    this.addSql(`alter table "documents" add constraint "documents_status_check" check ("status" in ('pending', 'processing', 'ready', 'failed'));`);

    this.addSql(`create table "document_sources" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "document_id" uuid not null, "version" int not null, "content" bytea not null, "content_hash" varchar(64) not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "document_sources_tenant_id_index" on "document_sources" ("tenant_id");`);
    this.addSql(`alter table "document_sources" add constraint "document_sources_document_id_version_unique" unique ("document_id", "version");`);

    this.addSql(`create table "chunks" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "knowledge_base_id" uuid not null, "document_id" uuid not null, "version" int not null, "ordinal" int not null, "text" text not null, "section" text null, "page" int null, "token_count" int not null, "content_hash" varchar(64) not null, "embedding" vector(384) not null, "tsv" tsvector generated always as (to_tsvector('english', coalesce(section, '') || ' ' || text)) stored null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "chunks_knowledge_base_id_index" on "chunks" ("knowledge_base_id");`);
    this.addSql(`create index "chunks_embedding_hnsw" on "chunks" using hnsw ("embedding" vector_cosine_ops);`);
    this.addSql(`create index "chunks_tsv_gin" on "chunks" using gin ("tsv");`);
    // Also serves as the (document_id, version) index.
    this.addSql(`alter table "chunks" add constraint "chunks_document_id_version_ordinal_unique" unique ("document_id", "version", "ordinal");`);

    this.addSql(`alter table "knowledge_bases" add constraint "knowledge_bases_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);

    this.addSql(`alter table "documents" add constraint "documents_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "documents" add constraint "documents_knowledge_base_id_foreign" foreign key ("knowledge_base_id") references "knowledge_bases" ("id") on delete cascade;`);

    this.addSql(`alter table "document_sources" add constraint "document_sources_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "document_sources" add constraint "document_sources_document_id_foreign" foreign key ("document_id") references "documents" ("id") on delete cascade;`);

    this.addSql(`alter table "chunks" add constraint "chunks_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "chunks" add constraint "chunks_knowledge_base_id_foreign" foreign key ("knowledge_base_id") references "knowledge_bases" ("id") on delete cascade;`);
    this.addSql(`alter table "chunks" add constraint "chunks_document_id_foreign" foreign key ("document_id") references "documents" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    for (const table of ['chunks', 'document_sources', 'documents', 'knowledge_bases', 'embedding_cache']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
  }

}
