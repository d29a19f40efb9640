/**
 * Writes README.md's benchmark tables from the committed results in bench/results/*.json, each
 * between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, so the README's figures are the
 * measured ones. `npm run bench:readme` after a benchmark run; a test fails while they differ.
 * (The ingress table combines several runs, of which bench/results/ingress.json keeps the last,
 * so it is written by hand.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('../bench/results', import.meta.url));

type Json = any;
type Row = (string | number)[];

const table = (header: string[], align: string[], rows: Row[]) =>
  [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const thousands = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => `${Math.round(n)} ms`;
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;

const DATABASE_LABELS: Record<string, string> = { pglite: 'embedded (PGlite)', postgres: 'PostgreSQL' };

/** Each database and level: the platform's turn, the baseline's, and the ratios; then every process's RSS, and the CPU a turn took in each. */
function turnTable(turn: Json): string {
  const latency = table(
    ['database', 'conversations', 'platform p50 / p99', 'platform turns/s', 'baseline p50 / p99', 'baseline turns/s', 'p50 ×', 'p99 ×', 'throughput ×'],
    ['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
    turn.results.flatMap((d: Json) =>
      d.rows.map((r: Json) => [
        DATABASE_LABELS[d.database] ?? d.database, r.concurrency,
        `${ms(r.platform.p50)} / ${ms(r.platform.p99)}`, r.platform.turnsPerSecond,
        `${ms(r.baseline.p50)} / ${ms(r.baseline.p99)}`, r.baseline.turnsPerSecond,
        r.ratio.p50, r.ratio.p99, r.ratio.turnsPerSecond,
      ]),
    ),
  );
  const names = [...new Set(turn.results.flatMap((d: Json) => Object.keys(d.rssMb.idle)))] as string[];
  const rss = table(
    ['database', 'state', ...names, 'platform total'],
    ['---', '---', ...names.map(() => '---:'), '---:'],
    turn.results.flatMap((d: Json) =>
      (['idle', 'underLoad'] as const).map((state) => {
        const values = d.rssMb[state];
        // The baseline's worker is the yardstick and the bench process the load driver: neither is part of the platform.
        const total = names.filter((n) => !n.startsWith('baseline') && !n.startsWith('bench process')).reduce((n, name) => n + (values[name] ?? 0), 0);
        return [DATABASE_LABELS[d.database] ?? d.database, state === 'idle' ? 'idle' : 'peak under load', ...names.map((n) => (values[n] ? `${values[n]} MB` : '–')), `${total} MB`];
      }),
    ),
  );
  return [latency, startsTable(turn), rss, cpuTable(turn)].filter(Boolean).join('\n\n');
}

/**
 * The conversations' starts, measured apart from the turns (latency and CPU a start, and the
 * throughput ratio had their time counted with the turns'), and the workflow tasks a turn that
 * Temporal wrote to its task backlog because no poll was waiting (each written and read back).
 */
function startsTable(turn: Json): string {
  const cpu = (perStart: Record<string, number>) => Object.values(perStart).reduce((t, v) => t + v, 0).toFixed(1);
  const rows: Row[] = turn.results.flatMap((d: Json) =>
    d.rows
      .filter((r: Json) => r.platform.starts && r.baseline.starts)
      .map((r: Json) => [
        DATABASE_LABELS[d.database] ?? d.database, r.concurrency,
        `${ms(r.platform.starts.p50)} / ${cpu(r.platform.starts.cpuMsPerStart)} ms`,
        `${ms(r.baseline.starts.p50)} / ${cpu(r.baseline.starts.cpuMsPerStart)} ms`,
        r.ratio.turnsPerSecondWithStarts,
        `${r.platform.temporalBacklogWritesPerTurn} / ${r.baseline.temporalBacklogWritesPerTurn}`,
      ]),
  );
  if (rows.length === 0) return '';
  return table(
    ['database', 'conversations', 'platform start p50 / CPU', 'baseline start p50 / CPU', 'throughput × with the starts\' time', 'Temporal backlog writes a turn'],
    ['---', '---:', '---:', '---:', '---:', '---:'],
    rows,
  );
}

/** The processes whose CPU bench:turn reads, by the names it gives them; the database server's name depends on the database. */
const CPU_COLUMNS: [string, (name: string) => boolean][] = [
  // The platform's API has its own process; the baseline's runs in the bench process, with the load driver.
  ['API and load driver', (n) => n === 'API' || n.startsWith('bench process')],
  ['worker', (n) => n === 'worker'],
  ['Temporal', (n) => n === 'temporal'],
  ['database server', (n) => n === 'PGlite server' || n === 'PostgreSQL backends'],
];

/** CPU milliseconds per turn by process, platform / baseline: the load is CPU-bound, so this is where a turn's cost over the floor goes. */
function cpuTable(turn: Json): string {
  const rows: Row[] = turn.results.flatMap((d: Json) =>
    d.rows
      .filter((r: Json) => r.platform.cpuMsPerTurn && r.baseline.cpuMsPerTurn)
      .map((r: Json) => {
        const sum = (cpu: Record<string, number>, match: (n: string) => boolean) => Object.entries(cpu).filter(([n]) => match(n)).reduce((t, [, v]) => t + v, 0);
        const pair = (match: (n: string) => boolean) => `${sum(r.platform.cpuMsPerTurn, match).toFixed(1)} / ${sum(r.baseline.cpuMsPerTurn, match).toFixed(1)}`;
        const total = (cpu: Record<string, number>) => sum(cpu, () => true);
        const ratio = total(r.platform.cpuMsPerTurn) / total(r.baseline.cpuMsPerTurn);
        return [DATABASE_LABELS[d.database] ?? d.database, r.concurrency, ...CPU_COLUMNS.map(([, match]) => pair(match)), pair(() => true), `${ratio.toFixed(2)}`];
      }),
  );
  if (rows.length === 0) return '';
  return table(
    ['database', 'conversations', ...CPU_COLUMNS.map(([label]) => `${label} (ms)`), 'total (ms)', 'total ×'],
    ['---', '---:', ...CPU_COLUMNS.map(() => '---:'), '---:', '---:'],
    rows,
  );
}

const METHODS = [
  ['fullText', 'full text'],
  ['vector', 'vector (offline embedder)'],
  ['hybrid', 'hybrid (default settings)'],
] as const;

/** Three decimals; bold where a method is strictly the best of the three. */
function retrievalQualityTable(retrieval: Json): string {
  const q = retrieval.quality;
  const cell = (method: string, metric: string) => {
    const value = q[method][metric];
    const best = METHODS.every(([other]) => other === method || q[other][metric] < value);
    return best ? `**${value.toFixed(3)}**` : value.toFixed(3);
  };
  return table(
    ['method', 'nDCG@10', 'recall@10', 'MRR@10'],
    ['---', '---:', '---:', '---:'],
    METHODS.map(([method, label]) => [label, cell(method, 'ndcg'), cell(method, 'recall'), cell(method, 'mrr')]),
  );
}

function retrievalLatencyTable(retrieval: Json): string {
  const { corpus, synthetic } = retrieval.latency;
  const { generatedDocuments: generated, corpus: frontDesk, concurrency } = retrieval.ingestion;
  return table(
    ['measurement (2 cores, native PostgreSQL 15 + pgvector 0.8)', 'figure'],
    ['---', '---:'],
    [
      [`hybrid search at ${thousands(corpus.chunks)} chunks, p50 / p95`, `${corpus.p50} ms / ${corpus.p95} ms`],
      [`hybrid search at ${thousands(synthetic.chunks)} chunks, p50 / p95`, `${synthetic.p50} ms / ${synthetic.p95} ms`],
      [
        `ingestion end to end (API → \`ingestDocument\`), ${generated.documents} generated ${generated.paragraphsPerDocument}-paragraph documents (${thousands(generated.chunks)} chunks), ${concurrency} at a time`,
        `${generated.chunksPerSecond} chunks/s`,
      ],
      [`ingestion end to end, the ${frontDesk.documents} one-chunk front-desk documents, ${concurrency} at a time`, `${frontDesk.chunksPerSecond} chunks/s`],
      [`bulk insert of ${thousands(synthetic.chunks)} chunks in 250-chunk documents, ${concurrency} at a time (no workflow)`, `${synthetic.bulkInsertChunksPerSecond} chunks/s`],
    ],
  );
}

/** Our figures on a BEIR test split (fusion and BM25 tuned on its train split), beside the published ones. */
function retrievalBeirTable(tune: Json): string {
  const ours = METHODS.map(([method, label]) => {
    const q = tune.test[method];
    return [label.replace('default settings', 'tuned on train'), q.ndcg.toFixed(3), q.recall.toFixed(3), q.mrr.toFixed(3)];
  });
  const published = (tune.published ?? []).map((p: Json) => [`*${p.method}, published (${p.source})*`, `*${p.ndcg}*`, '', '']);
  return table(['method', 'nDCG@10', 'recall@10', 'MRR@10'], ['---', '---:', '---:', '---:'], [...ours, ...published]);
}

function consoleTable(results: Json): string {
  return table(
    ['nodes', 'first render (navigation → drawn)', 'editor render (JSON → drawn)', 'drag fps', 'frames > 33 ms'],
    ['---:', '---:', '---:', '---:', '---:'],
    results.sizes.map((s: Json) => [thousands(s.nodes), seconds(s.firstRenderMs), seconds(s.editorRenderMs), s.drag.fps, `${s.drag.longFrames} / ${s.drag.frames}`]),
  );
}

/** Each table's name (its marker) and how it is made from the results files, by file name. */
const TABLES: Record<string, { from: string; render: (results: Json) => string }> = {
  turn: { from: 'turn.json', render: turnTable },
  'retrieval-quality': { from: 'retrieval.json', render: retrievalQualityTable },
  'retrieval-latency': { from: 'retrieval.json', render: retrievalLatencyTable },
  'retrieval-beir': { from: 'retrieval-tune.json', render: retrievalBeirTable },
  console: { from: 'console.json', render: consoleTable },
};

/** The tables as written from the results in `dir`, by marker name. */
export function benchTables(dir = RESULTS_DIR): Record<string, string> {
  const read = (file: string) => JSON.parse(readFileSync(resolve(dir, file), 'utf8'));
  return Object.fromEntries(Object.entries(TABLES).map(([name, { from, render }]) => [name, render(read(from))]));
}

/** `readme` with every marked table replaced; a marker pair missing from it is an error. */
export function writeBenchTables(readme: string, tables: Record<string, string>): string {
  let out = readme;
  for (const [name, body] of Object.entries(tables)) {
    const open = `<!-- bench:${name} -->`;
    const close = `<!-- /bench:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close, start);
    if (start < 0 || end < 0) throw new Error(`README.md has no ${open} … ${close} pair`);
    out = `${out.slice(0, start + open.length)}\n${body}\n${out.slice(end)}`;
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const before = readFileSync(README, 'utf8');
  const after = writeBenchTables(before, benchTables());
  writeFileSync(README, after);
  console.log(after === before ? 'README.md benchmark tables are up to date' : 'README.md benchmark tables rewritten from bench/results');
}
