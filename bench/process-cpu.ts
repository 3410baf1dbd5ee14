/**
 * CPU time of running processes, read from /proc (Linux), for the load benchmark's "what
 * limits the service" columns: the service, PostgreSQL (postmaster and its backends) and
 * Redis. Off Linux every reading is undefined and the columns say "-".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on every Linux build in use). */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state ppid … utime(11) stime(12) cutime(13) cstime(14); comm may
    // contain spaces. cutime/cstime hold the children already exited and reaped: without
    // them a PostgreSQL backend that ends (the service's pool closes idle connections)
    // takes its CPU out of the tree, and a step's PostgreSQL CPU came out negative.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
    return { pid, ppid: Number(fields[1]), cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

function allPids(): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

/** CPU seconds used so far by `rootPid` and its descendants, living and reaped. */
export function processTreeCpuSeconds(rootPid: number | undefined): number | undefined {
  if (rootPid === undefined || !existsSync('/proc/self/stat')) return undefined;
  const stats = allPids().map(readStat).filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const root = stats.find((s) => s.pid === rootPid);
  if (!root) return undefined;
  let total = 0;
  const queue = [root];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    total += next.cpuSeconds;
    queue.push(...(children.get(next.pid) ?? []));
  }
  return total;
}

/** The oldest process whose command line (arguments joined by spaces) satisfies `matches`. */
export function findPid(matches: (commandLine: string) => boolean): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  for (const pid of allPids().sort((a, b) => a - b)) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (matches(commandLine)) return pid;
    } catch {
      // ended meanwhile
    }
  }
  return undefined;
}
