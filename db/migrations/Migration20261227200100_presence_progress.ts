import { Migration } from '@mikro-orm/migrations';

/**
 * Each check module's state while an audit runs (`{moduleId: {status, checks, error}}`), written
 * by the activity that runs a phase's modules as each one ends: the live progress between the
 * workflow's phase boundaries.
 */
export class Migration20261227200100_presence_progress extends Migration {
  override name = 'Migration20261227200100_presence_progress';

  override up(): void {
    this.addSql(`alter table "presence_audits" add column "module_progress" jsonb not null default '{}';`);
  }

  override down(): void {
    this.addSql(`alter table "presence_audits" drop column "module_progress";`);
  }
}
