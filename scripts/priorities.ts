/**
 * The scheduling priorities `npm start` gives its parts on one machine. The worker and the Temporal
 * dev server, which turn messages into conversations, run at nice 10; the API, the database and
 * Redis, which answer webhooks and requests, stay at 0. When a backlog of turns takes both cores,
 * a provider's webhook is still answered at once rather than after the turns queued before it
 * (bench:ingress, README "Ingress"); the turns themselves lose nothing, as the API takes a small
 * share of the CPU. WORKER_NICE and TEMPORAL_NICE set them otherwise (0 turns it off).
 */
export const BACKGROUND_NICE = 10;

/** WORKER_NICE for the worker npm start runs: the environment's, or BACKGROUND_NICE. */
export function startWorkerNice(env: NodeJS.ProcessEnv = process.env): string {
  return env.WORKER_NICE ?? String(BACKGROUND_NICE);
}
