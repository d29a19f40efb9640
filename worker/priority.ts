/**
 * WORKER_NICE for the whole worker process. `os.setPriority(n)` sets the calling thread's only
 * (Linux priorities are per thread): V8's background threads (garbage collection, compilation)
 * and libuv's pool, started before this code runs, would stay at the old priority and keep
 * competing with the API. Every thread in /proc/self/task is lowered; threads started later
 * inherit it from the thread that starts them.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';

export function lowerProcessPriority(nice: number): void {
  os.setPriority(nice);
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return; // No /proc (macOS): the main thread's priority is what there is.
  }
  for (const tid of threads) {
    try {
      os.setPriority(Number(tid), nice);
    } catch {
      // A thread that ended meanwhile.
    }
  }
}
