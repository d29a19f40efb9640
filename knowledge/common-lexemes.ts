/**
 * Lexemes too common to match on. Full-text ranking costs per matching row, and a word found in a
 * large share of chunks ("appointment" across a dental practice's documents) would make each
 * search rank most of the table. PostgreSQL's planner statistics on `chunks.tsv` already count the
 * most common lexemes (`pg_stats.most_common_elems`); the lexemes expected in more than
 * `rowBudget` rows are read from there, at most once a minute per process, and the text search
 * uses them for ranking only. A small or never-analyzed table has no such lexemes.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

const REFRESH_MS = 60_000;

interface Entry {
  at: number;
  lexemes: Promise<string[]>;
}

// Keyed by the driver, which every fork of one ORM shares: one cache per database.
const cache = new WeakMap<object, Entry>();

async function load(em: EntityManager, rowBudget: number): Promise<string[]> {
  const rows = await em.getConnection().execute<{ lexeme: string }[]>(
    `select e.lexeme from pg_stats s,
       lateral unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as e(lexeme, freq)
     where s.schemaname = current_schema() and s.tablename = 'chunks' and s.attname = 'tsv' and e.lexeme is not null
       and e.freq * (select greatest(c.reltuples, 0) from pg_class c where c.oid = 'chunks'::regclass) > ?`,
    [rowBudget],
  );
  return rows.map((r) => r.lexeme);
}

export async function commonLexemes(em: EntityManager, rowBudget: number, opts: { refresh?: boolean } = {}): Promise<string[]> {
  const key = em.getDriver();
  const hit = cache.get(key);
  if (hit && !opts.refresh && Date.now() - hit.at < REFRESH_MS) return hit.lexemes;
  // Statistics only steer cost: when they cannot be read, every lexeme may match.
  const lexemes = load(em, rowBudget).catch(() => []);
  cache.set(key, { at: Date.now(), lexemes });
  return lexemes;
}
