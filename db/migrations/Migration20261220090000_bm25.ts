import { Migration } from '@mikro-orm/migrations';

/**
 * BM25 full-text ranking (knowledge/bm25.ts), in plain SQL and PL/pgSQL so it runs the same on
 * PostgreSQL 15 and the embedded PGlite:
 * - each knowledge base has a text-search `language` (a regconfig: stemming and stop words);
 *   `chunks.tsv` is no longer generated with 'english' but set by a trigger in the knowledge
 *   base's language, and `chunks.term_count` (BM25's document length) alongside it;
 * - `bm25_kb_stats` (chunks and terms per knowledge base) and `bm25_term_stats` (document
 *   frequency per knowledge base and lexeme) count only the active versions' chunks. They change
 *   when a document's `active_version` moves (one aggregated statement per document, not a row
 *   trigger per chunk) or the document goes. The knowledge base's stats row is locked first, so
 *   activations in one knowledge base apply their term counts one at a time and never deadlock.
 * - changing a knowledge base's language recomputes its chunks' tsv and rebuilds its stats.
 */
export class Migration20261220090000_bm25 extends Migration {
  override name = 'Migration20261220090000_bm25';

  override up(): void {
    this.addSql(`alter table "knowledge_bases" add column "language" varchar(32) not null default 'english';`);
    this.addSql(`alter table "knowledge_bases" add constraint "knowledge_bases_language_check" check ("language" in ('english', 'spanish', 'french', 'german', 'portuguese', 'italian', 'dutch', 'simple'));`);

    this.addSql(`create table "bm25_kb_stats" ("knowledge_base_id" uuid not null primary key references "knowledge_bases" ("id") on delete cascade, "chunk_count" bigint not null default 0, "total_terms" bigint not null default 0);`);
    this.addSql(`create table "bm25_term_stats" ("knowledge_base_id" uuid not null references "knowledge_bases" ("id") on delete cascade, "term" text not null, "df" int not null, primary key ("knowledge_base_id", "term"));`);

    this.addSql(`alter table "chunks" alter column "tsv" drop expression;`);
    this.addSql(`alter table "chunks" add column "term_count" int not null default 0;`);
    // BM25 reads each candidate's tsv: kept in the row, as the vector is, rather than in TOAST.
    this.addSql(`alter table "chunks" alter column "tsv" set storage main;`);

    // Lexeme occurrences (stop words excluded): BM25's document length.
    this.addSql(`create function bm25_term_count(tsv tsvector) returns int language sql immutable as $$
      select coalesce(sum(coalesce(array_length(u.positions, 1), 1)), 0)::int from unnest(tsv) u $$;`);

    this.addSql(`create function chunks_bm25_tsv() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' or new.tsv is null or new.text is distinct from old.text or new.section is distinct from old.section then
          new.tsv := to_tsvector((select k.language from knowledge_bases k where k.id = new.knowledge_base_id)::regconfig,
                                 coalesce(new.section, '') || ' ' || new.text);
          new.term_count := bm25_term_count(new.tsv);
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger chunks_bm25_tsv before insert or update on "chunks" for each row execute function chunks_bm25_tsv();`);

    // sign +1 adds one document version's chunks to its knowledge base's statistics, -1 removes them.
    this.addSql(`create function bm25_apply(doc uuid, ver int, sign int) returns void language plpgsql as $$
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

    this.addSql(`create function documents_bm25() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          if old.active_version is not null then perform bm25_apply(old.id, old.active_version, -1); end if;
          return old;
        end if;
        if new.active_version is not distinct from old.active_version then return new; end if;
        -- Serializes activations per knowledge base: term rows are then never locked in two orders.
        insert into bm25_kb_stats (knowledge_base_id) values (new.knowledge_base_id) on conflict do nothing;
        perform 1 from bm25_kb_stats where knowledge_base_id = new.knowledge_base_id for update;
        if old.active_version is not null then perform bm25_apply(new.id, old.active_version, -1); end if;
        if new.active_version is not null then perform bm25_apply(new.id, new.active_version, 1); end if;
        return new;
      end $$;`);
    this.addSql(`create trigger documents_bm25_activate after update of active_version on "documents" for each row execute function documents_bm25();`);
    this.addSql(`create trigger documents_bm25_delete before delete on "documents" for each row execute function documents_bm25();`);

    this.addSql(`create function bm25_rebuild(kb uuid) returns void language plpgsql as $$
      begin
        delete from bm25_term_stats where knowledge_base_id = kb;
        delete from bm25_kb_stats where knowledge_base_id = kb;
        insert into bm25_kb_stats (knowledge_base_id, chunk_count, total_terms)
          select kb, count(*), coalesce(sum(c.term_count), 0) from chunks c join documents d on d.id = c.document_id and d.active_version = c.version
          where c.knowledge_base_id = kb;
        insert into bm25_term_stats (knowledge_base_id, term, df)
          select kb, l, count(*) from chunks c join documents d on d.id = c.document_id and d.active_version = c.version,
            unnest(tsvector_to_array(c.tsv)) l
          where c.knowledge_base_id = kb group by l;
      end $$;`);

    this.addSql(`create function knowledge_bases_bm25_language() returns trigger language plpgsql as $$
      begin
        -- A null tsv makes the chunk trigger recompute it in the new language.
        update chunks set tsv = null where knowledge_base_id = new.id;
        perform bm25_rebuild(new.id);
        return new;
      end $$;`);
    this.addSql(`create trigger knowledge_bases_bm25_language after update of language on "knowledge_bases" for each row
      when (old.language is distinct from new.language) execute function knowledge_bases_bm25_language();`);

    // Existing chunks: lengths, then every knowledge base's statistics.
    this.addSql(`update "chunks" set "term_count" = bm25_term_count("tsv") where "tsv" is not null;`);
    this.addSql(`select bm25_rebuild(id) from knowledge_bases;`);
  }

  override down(): void {
    this.addSql(`drop trigger knowledge_bases_bm25_language on "knowledge_bases";`);
    this.addSql(`drop trigger documents_bm25_activate on "documents";`);
    this.addSql(`drop trigger documents_bm25_delete on "documents";`);
    this.addSql(`drop trigger chunks_bm25_tsv on "chunks";`);
    this.addSql(`drop function knowledge_bases_bm25_language(), bm25_rebuild(uuid), documents_bm25(), bm25_apply(uuid, int, int), chunks_bm25_tsv(), bm25_term_count(tsvector);`);
    this.addSql(`drop table "bm25_term_stats", "bm25_kb_stats";`);
    this.addSql(`alter table "chunks" drop column "term_count", drop column "tsv";`);
    this.addSql(`alter table "chunks" add column "tsv" tsvector generated always as (to_tsvector('english', coalesce(section, '') || ' ' || text)) stored null;`);
    this.addSql(`create index "chunks_tsv_gin" on "chunks" using gin ("tsv");`);
    this.addSql(`alter table "knowledge_bases" drop column "language";`);
  }
}
