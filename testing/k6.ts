/**
 * A real k6 for tests and benchmarks, when this machine has one: `$K6_BIN`, else `k6` on
 * PATH. CI has none, so callers skip with a visible message (`K6_MISSING_MESSAGE`)
 * instead of passing silently.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const K6_MISSING_MESSAGE = 'no k6 here (set K6_BIN=/path/to/k6 or put k6 on PATH): the tests and bench columns that need a real k6 are SKIPPED';

export interface K6Binary {
  readonly path: string;
  /** First line of `k6 version`, e.g. `k6 v1.3.0 (commit/devel, go1.23.5, linux/amd64)`. */
  readonly version: string;
}

/** The k6 to use, or undefined when there is none; a K6_BIN that does not run is an error. */
export function findK6(): K6Binary | undefined {
  const configured = process.env['K6_BIN'];
  const path = configured || 'k6';
  const result = spawnSync(path, ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    if (configured) throw new Error(`K6_BIN=${configured} does not run (\`${configured} version\`: ${result.error?.message ?? result.stderr}); fix the path or unset K6_BIN`);
    return undefined;
  }
  return { path, version: result.stdout.split('\n')[0]?.trim() ?? '' };
}

export interface K6Run {
  readonly exitCode: number | null;
  /** stdout and stderr together. */
  readonly output: string;
  readonly wallSeconds: number;
  /**
   * CPU time k6 used (user + system), from this process's reaped-children counters in
   * /proc/self/stat; undefined off Linux. Exact only when no other child exits meanwhile.
   */
  readonly cpuSeconds: number | undefined;
}

export interface RunK6Options {
  /** @default - this process's working directory */
  readonly cwd?: string;
  /**
   * More `k6 run` flags, e.g. `['--out', 'csv=run.csv']`.
   * @default - none
   */
  readonly flags?: readonly string[];
}

/** `k6 run <script>` with `-e` variables, asynchronously (a stand-in service in this process keeps serving). */
export function runK6(k6: K6Binary, script: string, env: Readonly<Record<string, string>>, options: RunK6Options = {}): Promise<K6Run> {
  const args = ['run', '--quiet', '--no-color', ...(options.flags ?? []), ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]), script];
  const cpuBefore = reapedChildrenCpuSeconds();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(k6.path, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const cpuAfter = reapedChildrenCpuSeconds();
      resolve({
        exitCode,
        output,
        wallSeconds: (performance.now() - started) / 1000,
        cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
      });
    });
  });
}

/** cutime + cstime of /proc/self/stat, in seconds (Linux's USER_HZ is 100). */
function reapedChildrenCpuSeconds(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name, which sits in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
