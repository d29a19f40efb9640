/**
 * Reads a counter from the Temporal dev server's Prometheus endpoint, summed over its labels.
 * bench:turn reads `persistence_requests{operation="CreateTasks"}`: a task no poll was waiting
 * for is written to the task queue's backlog and read back, which costs the server CPU a turn.
 */
export async function temporalCounter(metricsUrl: string, name: string, operation: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(`operation="${operation}"`)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Task backlog writes so far (see above). */
export const backlogWrites = (metricsUrl: string) => temporalCounter(metricsUrl, 'persistence_requests', 'CreateTasks');
