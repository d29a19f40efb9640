/**
 * `tsx worker/bundle.ts OUT`: writes the workflow bundle to OUT. `npm start` runs it once and hands
 * the file to the worker (WORKFLOW_BUNDLE_PATH), so a restarted worker polls within seconds instead
 * of bundling again with webpack.
 */
import { writeFileSync } from 'node:fs';
import { workflowBundle } from './create';

const out = process.argv[2];
if (!out) throw new Error('usage: worker/bundle.ts OUT');
const { code } = await workflowBundle();
writeFileSync(out, code);
console.log(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)`);
