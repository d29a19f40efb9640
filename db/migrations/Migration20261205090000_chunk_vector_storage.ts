import { Migration } from '@mikro-orm/migrations';

/**
 * Keeps chunk vectors inside the row. pgvector's type defaults to EXTERNAL storage, so a 384-float
 * vector (1.5 kB) plus the chunk's text goes out of line into TOAST, and every distance computed
 * from the heap (the exact scan the planner picks for a small knowledge base, and the distance the
 * search returns) pays a TOAST lookup: ~100 µs a row, against ~4 µs inline. The text, needed only
 * for the few rows returned, is what moves out of line instead. Rows written before this keep their
 * layout until the table is rewritten (VACUUM FULL chunks).
 */
export class Migration20261205090000_chunk_vector_storage extends Migration {
  override name = 'Migration20261205090000_chunk_vector_storage';

  override up(): void {
    this.addSql('alter table "chunks" alter column "embedding" set storage plain;');
  }

  override down(): void {
    this.addSql('alter table "chunks" alter column "embedding" set storage external;');
  }
}
