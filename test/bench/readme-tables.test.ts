/** README.md's benchmark tables are what scripts/bench-readme.ts writes from the committed bench/results/*.json. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, benchTables, writeBenchTables } from '../../scripts/bench-readme';

const readme = readFileSync(README, 'utf8');

describe('README benchmark tables', () => {
  it('equal what npm run bench:readme writes from the committed results', () => {
    const tables = benchTables();
    expect(Object.keys(tables).sort()).toEqual(['console', 'retrieval-beir', 'retrieval-latency', 'retrieval-quality', 'turn']);
    // Each table on its own, so a failure names the stale one.
    for (const [name, body] of Object.entries(tables)) {
      const between = readme.split(`<!-- bench:${name} -->\n`)[1]?.split(`\n<!-- /bench:${name} -->`)[0];
      expect(between, `README table "${name}" (run npm run bench:readme)`).toBe(body);
    }
    expect(writeBenchTables(readme, tables)).toBe(readme);
  });

  it('are rewritten in place between their markers, the text around them untouched', () => {
    const doc = 'intro\n<!-- bench:turn -->\n| stale |\n<!-- /bench:turn -->\noutro\n';
    expect(writeBenchTables(doc, { turn: '| fresh |' })).toBe('intro\n<!-- bench:turn -->\n| fresh |\n<!-- /bench:turn -->\noutro\n');
    expect(() => writeBenchTables('no markers', { turn: '| fresh |' })).toThrow(/bench:turn/);
  });
});
