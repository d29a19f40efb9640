/**
 * `tsx worker/bundle.ts OUT`: writes the workflow bundle to OUT. `npm start` runs it once and hands
 * the file to the worker (WORKFLOW_BUNDLE_PATH), so a restarted worker polls within seconds instead
 * of bundling again with webpack.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../core/config';
import { tracingEnabled } from '../telemetry/tracing';
import { tracedBundlePath, workflowBundle } from './create';

const arg = process.argv[2];
if (!arg) throw new Error('usage: worker/bundle.ts OUT');
// With an OTLP endpoint configured the worker traces and loads the traced variant beside OUT.
const tracing = tracingEnabled(loadConfig());
const out = tracing ? tracedBundlePath(arg) : arg;
const { code } = await workflowBundle(tracing);
writeFileSync(out, code);
console.log(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)`);
