/**
 * `tsx bench/telemetry-profile.ts <profile-dir> [base-slug]`: where the CPU that
 * telemetry adds per request goes, function by function.
 *
 * Reads what `BENCH_CPU_PROFILE_DIR=<profile-dir> npm run bench:telemetry` leaves: one V8
 * CPU profile per mode and, next to it, when the measured rounds ran and how much CPU
 * (from /proc) they used for how many requests. Only the samples taken during those
 * rounds count (start-up and warm-up are left out). The service's CPU per request is
 * split over functions in proportion to their samples, so a busy machine, which
 * stretches every sample alike, changes no share; each mode is then printed as the
 * microseconds per request it adds over the base mode (default `none`), by package and
 * by function: self time (where the CPU is spent) and total time of the telemetry
 * packages' frames (which of their calls costs it).
 *
 * On a shared machine a mode measured while others load the cores gets every
 * microsecond stretched (caches, a descheduled thread), work telemetry does not touch
 * included. So each mode is also scaled by how much longer than in the base mode its
 * reference work took: the self time of code that runs the same whatever the telemetry
 * (token verification, the PostgreSQL wire protocol, the service's own functions). The
 * scaled figure is an estimate for a quiet machine; it hides a slowdown telemetry causes
 * in that reference code itself (e.g. by evicting it from the caches).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageOf } from './cpu-profile-summary.js';

/** Written next to each mode's profile by bench/telemetry.ts. */
export const LOAD_WINDOWS_FILE = 'load-windows.json';

export interface LoadWindows {
  readonly mode: string;
  /** Measured rounds, [start, end] in microseconds of the monotonic clock. */
  readonly windows: readonly (readonly [number, number])[];
  /** Service CPU (user + system) during those rounds, in microseconds. */
  readonly cpuMicroseconds: number;
  readonly requests: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Microseconds per request by package, by function (self) and by telemetry function (total). */
interface PerRequest {
  readonly mode: string;
  readonly cpuPerRequest: number;
  /** Microseconds per request in REFERENCE_PACKAGES. */
  readonly reference: number;
  readonly byPackage: Map<string, number>;
  readonly selfByFunction: Map<string, number>;
  readonly totalByFunction: Map<string, number>;
}

const NOT_RUNNING = new Set(['(idle)', '(root)']);
/** Packages whose work telemetry does not change: the yardstick of each mode's stretch. */
const REFERENCE_PACKAGES = ['jose', 'pg-protocol', 'postgres-date', 'tenant-api (own code)'];
/** Frames whose total time is worth reading: the telemetry stack's own code. */
const TELEMETRY_FRAME = /@opentelemetry|\/telemetry\/|import-in-the-middle|require-in-the-middle|node:internal\/async_hooks|async_local_storage/;

function functionName(frame: ProfileNode['callFrame']): string {
  const where = frame.url ? `${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(telemetry|examples)\//, '$1/')}:${frame.lineNumber + 1}` : 'native';
  return `${frame.functionName || '(anonymous)'} ${where}`;
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function perRequest(directory: string): PerRequest {
  const load = JSON.parse(readFileSync(join(directory, LOAD_WINDOWS_FILE), 'utf8')) as LoadWindows;
  // The service's own process writes the first profile; a second one (the ESM loader's worker) does no request work.
  const [profileFile] = readdirSync(directory).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (profileFile === undefined) throw new Error(`${directory} has no .cpuprofile: run the benchmark with BENCH_CPU_PROFILE_DIR set`);
  const profile = JSON.parse(readFileSync(join(directory, profileFile), 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const packages = new Map<string, number>();
  let running = 0;
  let time = profile.startTime;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i] ?? 0;
    if (!load.windows.some(([start, end]) => time >= start && time <= end)) return;
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined || NOT_RUNNING.has(frame.functionName)) return;
    running++;
    add(self, functionName(frame), 1);
    add(packages, packageOf(frame), 1);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const ancestor = nodes.get(at)?.callFrame;
      if (ancestor === undefined || !TELEMETRY_FRAME.test(ancestor.url)) continue;
      const name = functionName(ancestor);
      if (!seen.has(name)) add(total, name, 1);
      seen.add(name);
    }
  });
  if (running === 0) throw new Error(`${directory}: no profile sample falls in the measured rounds (is the profile from this run?)`);
  const cpuPerRequest = load.cpuMicroseconds / Math.max(1, load.requests);
  const scale = (counts: Map<string, number>): Map<string, number> => new Map([...counts].map(([k, n]) => [k, (n / running) * cpuPerRequest]));
  const byPackage = scale(packages);
  const reference = REFERENCE_PACKAGES.reduce((sum, name) => sum + (byPackage.get(name) ?? 0), 0);
  return { mode: load.mode, cpuPerRequest, reference, byPackage, selfByFunction: scale(self), totalByFunction: scale(total) };
}

/** `mode` with every figure divided by how much longer its reference work took than in `base`. */
function unstretched(mode: PerRequest, base: PerRequest): PerRequest {
  const stretch = base.reference > 0 ? mode.reference / base.reference : 1;
  const scale = (values: Map<string, number>): Map<string, number> => new Map([...values].map(([k, v]) => [k, v / stretch]));
  return {
    mode: `${mode.mode} (x${stretch.toFixed(2)} stretch taken out)`,
    cpuPerRequest: mode.cpuPerRequest / stretch,
    reference: base.reference,
    byPackage: scale(mode.byPackage),
    selfByFunction: scale(mode.selfByFunction),
    totalByFunction: scale(mode.totalByFunction),
  };
}

function differences(mode: Map<string, number>, base: Map<string, number> | undefined, top: number): [string, number, number][] {
  const keys = new Set([...mode.keys(), ...(base?.keys() ?? [])]);
  return [...keys]
    .map((key): [string, number, number] => [key, mode.get(key) ?? 0, (mode.get(key) ?? 0) - (base?.get(key) ?? 0)])
    .sort((a, b) => b[2] - a[2])
    .slice(0, top);
}

function print(title: string, rows: [string, number, number][]): void {
  process.stdout.write(`  ${title}\n`);
  for (const [name, value, added] of rows) process.stdout.write(`    ${added.toFixed(1).padStart(7)} ${value.toFixed(1).padStart(7)}  ${name}\n`);
}

function main(directory: string, baseSlug: string): void {
  const slugs = readdirSync(directory).filter((slug) => existsSync(join(directory, slug, LOAD_WINDOWS_FILE)));
  if (!slugs.includes(baseSlug)) throw new Error(`${directory}/${baseSlug} has no ${LOAD_WINDOWS_FILE}: profile the base mode too (BENCH_MODES includes it by default)`);
  const base = perRequest(join(directory, baseSlug));
  process.stdout.write(`CPU µs per request split by profile samples; columns: added over ${baseSlug}, the mode's own value\n`);
  for (const slug of slugs) {
    const mode = unstretched(perRequest(join(directory, slug)), base);
    process.stdout.write(`\n${mode.mode}: ${mode.cpuPerRequest.toFixed(0)} µs/request, ${(mode.cpuPerRequest - base.cpuPerRequest).toFixed(0)} over ${baseSlug}\n`);
    print('by package (self time)', differences(mode.byPackage, base.byPackage, 15));
    print('by function (self time)', differences(mode.selfByFunction, base.selfByFunction, 30));
    print('telemetry frames (total time, callees included)', differences(mode.totalByFunction, undefined, 30));
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [directory, baseSlug = 'none'] = process.argv.slice(2);
  if (directory === undefined || directory === '--help') {
    process.stdout.write('usage: tsx bench/telemetry-profile.ts <profile-dir> [base-slug]\n  <profile-dir>: the BENCH_CPU_PROFILE_DIR of a `npm run bench:telemetry` run; base-slug: the mode to subtract (default none)\n');
    process.exit(directory === undefined ? 1 : 0);
  }
  main(directory, baseSlug);
}
