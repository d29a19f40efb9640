/**
 * The baseline's worker, in its own process as the platform's is: BASELINE_DATABASE_URL,
 * TEMPORAL_ADDRESS, BASELINE_TASK_QUEUE, and WORKER_NICE as the platform's worker reads it. Prints
 * "baseline worker ready" once polling.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { lowerProcessPriority } from '../../worker/priority';
import { BASELINE_TABLE, baselineActivities } from './activities';

// Every thread, as the platform's worker lowers its own.
if (Number(process.env.WORKER_NICE) > 0) lowerProcessPriority(Number(process.env.WORKER_NICE));
const { pool, activities } = baselineActivities(process.env.BASELINE_DATABASE_URL!);
await pool.query(`create table if not exists ${BASELINE_TABLE} (id bigserial primary key, text text not null, created_at timestamptz not null default now())`);
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.BASELINE_TASK_QUEUE!,
  workflowsPath: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  activities,
});
console.log('baseline worker ready');
await worker.run();
await pool.end();
await connection.close();
