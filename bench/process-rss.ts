/** Resident memory and CPU time of processes by pid (Linux /proc), and the pid listening on a port (`ss`). */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * User plus system CPU time in ms a process has used so far, or null for a process that is gone.
 * `withReapedChildren` adds what its children that exited and were waited for used: summed over a
 * server's processes (PostgreSQL's postmaster and backends), the total then only grows when a
 * backend exits, where the sum of the live ones alone would drop by that backend's time.
 */
export function cpuMs(pid: number, withReapedChildren = false): number | null {
  try {
    // The fields after the command name, which may itself hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + (withReapedChildren ? Number(fields[13]) + Number(fields[14]) : 0);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Every process named `name` (e.g. PostgreSQL's backends, one process per connection). */
export function pidsNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** VmRSS in MB, or null for a process that is gone. */
export function rssMb(pid: number): number | null {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * Proportional set size in MB (Linux smaps_rollup), or null for a process that is gone. RSS counts
 * the node binary's pages (about 50 MB) in every node process; PSS shares them out among the
 * processes mapping them, so a sum of PSS is what the processes hold together.
 */
export function pssMb(pid: number): number | null {
  try {
    const kb = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

export function pidListening(port: number): number | null {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const pid = /pid=(\d+)/.exec(out)?.[1];
    return pid ? Number(pid) : null;
  } catch {
    return null;
  }
}

/** Samples every process every `everyMs` until stopped; returns each one's peak. */
export function sampleRss(pids: Record<string, number>, everyMs = 500) {
  const peak: Record<string, number> = {};
  const take = () => {
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name] ?? 0, rssMb(pid) ?? 0);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { ...peak, total: Object.values(peak).reduce((a, b) => a + b, 0) };
    },
  };
}
