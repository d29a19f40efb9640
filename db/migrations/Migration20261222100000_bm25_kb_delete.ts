import { Migration } from '@mikro-orm/migrations';

/**
 * Deleting a knowledge base right after one of its documents was activated failed (HTTP 500) with
 * a foreign-key violation on `bm25_kb_stats`: the cascade removed the documents, whose trigger
 * then wrote the statistics of a knowledge base the same statement had just deleted, and the
 * write's foreign-key check failed. `bm25_apply` now does nothing for a knowledge base that no
 * longer exists: its statistics go with it.
 */
export class Migration20261222100000_bm25_kb_delete extends Migration {
  override name = 'Migration20261222100000_bm25_kb_delete';

  override up(): void {
    this.addSql(`create or replace function bm25_apply(doc uuid, ver int, sign int) returns void language plpgsql as $$
      declare kb uuid; n bigint; total bigint;
      begin
        select knowledge_base_id into kb from documents where id = doc;
        select count(*), coalesce(sum(term_count), 0) into n, total from chunks where document_id = doc and version = ver;
        if kb is null or n = 0 then return; end if;
        -- Its knowledge base deleted (this statement's cascade): the statistics go with it.
        if not exists (select 1 from knowledge_bases where id = kb) then return; end if;
        if sign > 0 then
          insert into bm25_kb_stats as s (knowledge_base_id, chunk_count, total_terms) values (kb, n, total)
            on conflict (knowledge_base_id) do update set chunk_count = s.chunk_count + n, total_terms = s.total_terms + total;
          insert into bm25_term_stats as s (knowledge_base_id, term, df)
            select kb, l, count(*) from chunks c, unnest(tsvector_to_array(c.tsv)) l
            where c.document_id = doc and c.version = ver group by l order by l
            on conflict (knowledge_base_id, term) do update set df = s.df + excluded.df;
        else
          update bm25_kb_stats set chunk_count = chunk_count - n, total_terms = total_terms - total where knowledge_base_id = kb;
          update bm25_term_stats s set df = s.df - d.df
            from (select l as term, count(*) as df from chunks c, unnest(tsvector_to_array(c.tsv)) l
                  where c.document_id = doc and c.version = ver group by l order by l) d
            where s.knowledge_base_id = kb and s.term = d.term;
          delete from bm25_term_stats where knowledge_base_id = kb and df <= 0;
        end if;
      end $$;`);
  }

  override down(): void {
    this.addSql(`create or replace function bm25_apply(doc uuid, ver int, sign int) returns void language plpgsql as $$
      declare kb uuid; n bigint; total bigint;
      begin
        select knowledge_base_id into kb from documents where id = doc;
        select count(*), coalesce(sum(term_count), 0) into n, total from chunks where document_id = doc and version = ver;
        if kb is null or n = 0 then return; end if;
        if sign > 0 then
          insert into bm25_kb_stats as s (knowledge_base_id, chunk_count, total_terms) values (kb, n, total)
            on conflict (knowledge_base_id) do update set chunk_count = s.chunk_count + n, total_terms = s.total_terms + total;
          insert into bm25_term_stats as s (knowledge_base_id, term, df)
            select kb, l, count(*) from chunks c, unnest(tsvector_to_array(c.tsv)) l
            where c.document_id = doc and c.version = ver group by l order by l
            on conflict (knowledge_base_id, term) do update set df = s.df + excluded.df;
        else
          -- Updates only: when the knowledge base itself is being deleted its rows may be gone already.
          update bm25_kb_stats set chunk_count = chunk_count - n, total_terms = total_terms - total where knowledge_base_id = kb;
          update bm25_term_stats s set df = s.df - d.df
            from (select l as term, count(*) as df from chunks c, unnest(tsvector_to_array(c.tsv)) l
                  where c.document_id = doc and c.version = ver group by l order by l) d
            where s.knowledge_base_id = kb and s.term = d.term;
          delete from bm25_term_stats where knowledge_base_id = kb and df <= 0;
        end if;
      end $$;`);
  }
}
