/**
 * The import rules of `.dependency-cruiser.cjs` (DESIGN.md §1): imports point one way and form no
 * circle. A violation fails here, in `npm test`, with the rule and the import that breaks it.
 */
import { fileURLToPath } from 'node:url';
import { cruise, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// One folder per line: a new module appends its own.
const FOLDERS = [
  'core',
  'workflows',
  'activities',
  'channels',
  'knowledge',
  'llm',
  'campaigns',
  'net',
  'scheduling',
  'events',
  'ingress',
  'temporal',
  'webhooks',
  'db',
  'worker',
  'api',
  'bench',
  'scripts',
  'test',
  'console/src',
  'widget/src',
  'media',
  'video',
  'renders',
  'menu',
  'assistant',
  'quotas',
  'metrics',
  'telemetry',
  'presence',
  'voice',
];

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (circle: ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('import rules', () => {
  it('every import follows .dependency-cruiser.cjs', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
      const result = await cruise(FOLDERS, options, undefined, { tsConfig: extractTSConfig('tsconfig.json') });
      if (typeof result.output === 'string') throw new Error('expected a cruise result, got a report');
      expect(result.output.summary.totalCruised).toBeGreaterThan(400);
      expect(result.output.summary.violations.map(describeViolation)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
