import { Migration } from '@mikro-orm/migrations';

/** Bulk imports of many small documents; each document remembers the import that created it. */
export class Migration20261222090000_document_imports extends Migration {
  override name = 'Migration20261222090000_document_imports';

  override up(): void {
    this.addSql(`create table "document_imports" ("id" uuid not null default gen_random_uuid(), "tenant_id" uuid not null, "knowledge_base_id" uuid not null, "total" int not null, "rejected" jsonb not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "document_imports_tenant_id_index" on "document_imports" ("tenant_id");`);
    this.addSql(`create index "document_imports_knowledge_base_id_index" on "document_imports" ("knowledge_base_id");`);
    this.addSql(`alter table "document_imports" add constraint "document_imports_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id");`);
    this.addSql(`alter table "document_imports" add constraint "document_imports_knowledge_base_id_foreign" foreign key ("knowledge_base_id") references "knowledge_bases" ("id") on delete cascade;`);
    this.addSql(`alter table "documents" add column "import_id" uuid null;`);
    this.addSql(`alter table "documents" add constraint "documents_import_id_foreign" foreign key ("import_id") references "document_imports" ("id") on delete set null;`);
    this.addSql(`create index "documents_import_id_index" on "documents" ("import_id") where "import_id" is not null;`);
  }

  override down(): void {
    this.addSql(`alter table "documents" drop column "import_id";`);
    this.addSql(`drop table "document_imports";`);
  }
}
