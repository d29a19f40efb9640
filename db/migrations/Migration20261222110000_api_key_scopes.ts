import { Migration } from '@mikro-orm/migrations';

/** API keys gain a scope (existing keys keep acting as admins) and an optional expiry. */
export class Migration20261222110000_api_key_scopes extends Migration {
  override name = 'Migration20261222110000_api_key_scopes';

  override up(): void {
    this.addSql(`alter table api_keys add column scope text not null default 'admin', add column expires_at timestamptz null;`);
    this.addSql(`alter table api_keys add constraint api_keys_scope_check check (scope in ('admin', 'read-only', 'runs-only'));`);
  }

  override down(): void {
    this.addSql(`alter table api_keys drop constraint api_keys_scope_check, drop column scope, drop column expires_at;`);
  }
}
