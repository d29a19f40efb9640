import { Migration } from '@mikro-orm/migrations';

/**
 * Records on each chunk the embedder that produced its vector, so a search compares the query only
 * with vectors of the embedder it was embedded with: vectors of two models are not comparable, and
 * a tenant that changes its embedder keeps searching (full text) while its documents are reindexed.
 * Existing chunks were embedded by the tenant's embedder of the time (ingestion pins it): a
 * configured provider's id as `activities/rag/embedder.ts` spells it, otherwise the offline one.
 */
export class Migration20261215090000_chunk_embedder extends Migration {
  override name = 'Migration20261215090000_chunk_embedder';

  override up(): void {
    this.addSql(`alter table "chunks" add column "embedder_id" varchar(255) not null default 'offline:hashed-ngrams-v2';`);
    this.addSql(`update "chunks" c set "embedder_id" = 'openai:' || (t."settings"->'embeddings'->>'model') || '@384'
      from "tenants" t where t."id" = c."tenant_id" and t."settings"->'embeddings'->>'model' is not null;`);
    // New rows must say which embedder made them.
    this.addSql(`alter table "chunks" alter column "embedder_id" drop default;`);
  }

  override down(): void {
    this.addSql(`alter table "chunks" drop column "embedder_id";`);
  }
}
