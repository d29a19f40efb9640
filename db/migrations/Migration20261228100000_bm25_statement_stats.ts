import { Migration } from '@mikro-orm/migrations';

/**
 * BM25 statistics move once per statement, not once per document. A bulk import activates a
 * hundred documents in one UPDATE; the row trigger ran `bm25_apply` for each, so a word in every
 * document had its `bm25_term_stats` row rewritten a hundred times in that statement (a new row
 * version each) while the knowledge base's lock was held, and the concurrent batches of one import
 * queued behind it: an activation of 100 one-paragraph documents took 0.3 s alone and up to 22 s
 * behind the others. A statement-level trigger with transition tables sums the statement's chunk
 * versions leaving (-1) and arriving (+1) per knowledge base and word, and writes each touched row
 * once. Deletion keeps its row trigger (Migration20261222100000: a knowledge base's own cascade).
 */
export class Migration20261228100000_bm25_statement_stats extends Migration {
  override name = 'Migration20261228100000_bm25_statement_stats';

  override up(): void {
    // The chunk versions the statement moved: -1 for a version leaving, +1 for one arriving. The
    // transition tables are only visible in the trigger's own statements, so each one names them.
    const moved = `moved as (
          select n.knowledge_base_id as kb, n.id as doc, o.active_version as ver, -1 as sign from bm25_new n join bm25_old o on o.id = n.id
            where n.active_version is distinct from o.active_version and o.active_version is not null
          union all
          select n.knowledge_base_id, n.id, n.active_version, 1 from bm25_new n join bm25_old o on o.id = n.id
            where n.active_version is distinct from o.active_version and n.active_version is not null)`;
    const delta = `delta as (
          select m.kb, l as term, sum(m.sign)::int as df from moved m join chunks c on c.document_id = m.doc and c.version = m.ver,
            unnest(tsvector_to_array(c.tsv)) l
          group by m.kb, l)`;
    this.addSql(`create function documents_bm25_activations() returns trigger language plpgsql as $$
      declare kbs uuid[]; removed boolean;
      begin
        select array_agg(distinct n.knowledge_base_id order by n.knowledge_base_id),
               bool_or(o.active_version is not null)
          into kbs, removed
          from bm25_new n join bm25_old o on o.id = n.id
          where n.active_version is distinct from o.active_version;
        if kbs is null then return null; end if;
        -- Serializes activations per knowledge base (locked in id order): word rows are then never
        -- locked by two statements in different orders.
        insert into bm25_kb_stats (knowledge_base_id) select unnest(kbs) order by 1 on conflict do nothing;
        perform 1 from bm25_kb_stats where knowledge_base_id = any(kbs) order by knowledge_base_id for update;
        with ${moved}
        update bm25_kb_stats s set chunk_count = s.chunk_count + d.n, total_terms = s.total_terms + d.total
          from (select m.kb, sum(m.sign)::bigint as n, sum(m.sign * c.term_count)::bigint as total
                from moved m join chunks c on c.document_id = m.doc and c.version = m.ver group by m.kb) d
          where s.knowledge_base_id = d.kb;
        with ${moved}, ${delta}
        insert into bm25_term_stats as s (knowledge_base_id, term, df)
          select kb, term, df from delta where df > 0 order by kb, term
          on conflict (knowledge_base_id, term) do update set df = s.df + excluded.df;
        if removed then
          with ${moved}, ${delta}
          update bm25_term_stats s set df = s.df + d.df from delta d
            where d.df < 0 and s.knowledge_base_id = d.kb and s.term = d.term;
          delete from bm25_term_stats where knowledge_base_id = any(kbs) and df <= 0;
        end if;
        return null;
      end $$;`);
    this.addSql(`drop trigger documents_bm25_activate on "documents";`);
    this.addSql(`create trigger documents_bm25_activate after update on "documents"
      referencing old table as bm25_old new table as bm25_new for each statement execute function documents_bm25_activations();`);
  }

  override down(): void {
    this.addSql(`drop trigger documents_bm25_activate on "documents";`);
    this.addSql(`drop function documents_bm25_activations();`);
    this.addSql(`create trigger documents_bm25_activate after update of active_version on "documents" for each row execute function documents_bm25();`);
  }
}
